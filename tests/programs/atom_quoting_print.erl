-module(atom_quoting_print).
-export([main/0]).

main() ->
    Atoms = [ok, 'OK', 'hello world', '', 'a-b', 'a.b', 'a@b', '_under', 'with\'quote', 'tab\there',
             'new\nline', '[]', 'true', 'é', 'ñandú', 'Ωmega', '1abc', abc1, 'fun', 'receive',
             'andalso', 'div', 'catch', '\\', '{}', 'a b c', aBc, 'café', '$', 'maybe', 'else'],
    lists:foreach(fun(A) -> io:format("~p | ~w | ~ts~n", [A, A, io_lib:write_atom(A)]) end, Atoms),
    io:format("~p~n", [Atoms]),
    io:format("~tp~n", [['é', 'Ωmega']]).
