-module(guard_arith_expressions).
-export([main/0]).

main() ->
    [io:format("~w: ~w~n", [X, classify(X)]) || X <- [0, 1, 7, 12, 15, 30, -9, 2.0, 1 bsl 70]],
    io:format("~w~n", [[X || X <- lists:seq(1, 40), X * X rem 7 =:= 2]]),
    io:format("~w~n", [[X || X <- lists:seq(1, 20), (X band 3) =:= 0, X bsr 2 > 1]]).

classify(X) when is_integer(X), X rem 15 =:= 0, X =/= 0 -> fizzbuzz;
classify(X) when is_integer(X), X rem 5 =:= 0, X > 0 -> buzz;
classify(X) when is_integer(X), X rem 3 =:= 0, X > 0 -> fizz;
classify(X) when X * 2 > 10, X - 1 < 100 -> medium;
classify(X) when -X > 5 -> negative;
classify(X) when float(X) =:= 2.0 -> float_two;
classify(X) when X > 1 bsl 60 -> huge;
classify(_) -> small.
