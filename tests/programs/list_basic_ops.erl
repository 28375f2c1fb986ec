-module(list_basic_ops).
-export([main/0]).

main() ->
    L = [3, 1, 4, 1, 5, 9, 2, 6],
    io:format("~w ~w ~w~n", [hd(L), tl(L), length(L)]),
    io:format("~w~n", [L ++ [7, 8]]),
    io:format("~w~n", [L -- [1, 9, 42]]),
    io:format("~w~n", [lists:reverse(L)]),
    io:format("~w ~w~n", [lists:nth(3, L), lists:last(L)]),
    io:format("~w~n", [lists:member(9, L)]),
    io:format("~w~n", [lists:delete(1, L)]),
    io:format("~w~n", [lists:nthtail(5, L)]),
    io:format("~w~n", [lists:droplast(L)]),
    io:format("~w~n", [[X || X <- L, X > 3]]),
    io:format("~p~n", [[]]),
    io:format("~w~n", [[[], [[]], [a | [b]]]]),
    io:format("~w~n", [lists:prefix([3, 1], L)]),
    io:format("~w~n", [lists:suffix([2, 6], L)]).
