%% Calls between two modules of one compilation through the export table.
-module(multi_a).
-export([main/0]).

main() ->
    erlang:display(multi_b:double(21)),
    erlang:display(multi_b:chain(5)),
    erlang:display(element(1, element(2, catch multi_b:hidden(1)))).
