-module(number_equality_order).
-export([main/0]).

main() ->
    Vals = [1, 1.0, 2, 0, 0.0, -1, -1.0, 1 bsl 64, 18446744073709551616.0],
    [io:format("~w == ~w: ~w   =:= ~w   < ~w~n", [A, B, A == B, A =:= B, A < B]) || A <- [1, 0.0, 1 bsl 64], B <- Vals],
    io:format("~w~n", [lists:sort(Vals)]),
    io:format("~w~n", [lists:usort(Vals)]),
    io:format("~w~n", [lists:member(1.0, [1, 2])]),
    io:format("~w~n", [lists:keyfind(1.0, 1, [{1, int}, {1.0, float}])]),
    io:format("~w~n", [1 < a]),
    io:format("~w~n", [1.0e308 < atom]).
