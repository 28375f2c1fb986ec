-module(float_arith_rounding).
-export([main/0]).

main() ->
    Xs = [2.5, 3.5, -2.5, -3.5, 2.4999, 0.5, -0.5, 1.0e15 + 0.5, 7.9, -7.9, 0.0],
    lists:foreach(
        fun(X) ->
            io:format("~w: trunc ~w round ~w floor ~w ceil ~w abs ~w~n",
                      [X, trunc(X), round(X), floor(X), ceil(X), abs(X)])
        end,
        Xs
    ),
    io:format("~w~n", [0.1 * 3]),
    Big = 1.0e308,
    io:format("~w~n", [try Big * 10 catch error:R -> {caught, R} end]),
    io:format("~w~n", [try math:log(-1.0) catch error:R2 -> {caught, R2} end]),
    io:format("~w~n", [try math:sqrt(-4) catch error:R3 -> {caught, R3} end]),
    io:format("~w~n", [try 5.0e-324 / 2 of V -> V catch error:R4 -> {caught, R4} end]),
    io:format("~w ~w~n", [0.1 + 0.7, 1.1 * 1.1]),
    io:format("~w ~w~n", [1.0e16 + 1.0, 2.0e-300 * 1.0e-300]).
