-module(display_atoms_quoting).
-export([main/0]).

main() ->
    lists:foreach(fun erlang:display/1,
                  [ok, 'Capital', 'with space', '', 'a-b', 'é', true, '[]', 'x@y', 'quote\'s',
                   'back\\slash', aB_9, '9lives', 'fun', 'end']).
