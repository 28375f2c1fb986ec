-module(bignum_arith).
-export([main/0]).

main() ->
    A = 123456789012345678901234567890,
    B = 987654321098765432109876543210,
    io:format("~w~n~w~n~w~n", [A + B, A - B, A * B]),
    io:format("~w ~w~n", [B div A, B rem A]),
    io:format("~w ~w~n", [-B div A, -B rem A]),
    io:format("~w ~w~n", [B div -A, B rem -A]),
    io:format("~w~n", [A * A * A * A]),
    io:format("~w~n", [(A * B) div B =:= A]),
    io:format("~w~n", [-A]),
    io:format("~w~n", [abs(-B)]),
    Small = 1 bsl 59,
    io:format("~w ~w ~w~n", [Small, Small * 2, Small * 16]),
    io:format("~w~n", [(1 bsl 64) - 1]),
    io:format("~w~n", [(1 bsl 64) - (1 bsl 64) + 5]),
    io:format("~w~n", [lists:foldl(fun(X, Acc) -> Acc * X + 1 end, 1, lists:seq(1, 40))]),
    io:format("~w ~w~n", [A > B, A < B]),
    io:format("~w~n", [A == A + 0]).
