-module(list_comprehension_multi).
-export([main/0]).

main() ->
    io:format("~w~n", [[{X, Y} || X <- [1, 2, 3], Y <- [a, b]]]),
    Triples = [{A, B, C} || C <- lists:seq(1, 30), B <- lists:seq(1, C), A <- lists:seq(1, B), A * A + B * B =:= C * C],
    io:format("~w~n", [Triples]),
    io:format("~w~n", [[X || {X, true} <- [{1, true}, {2, false}, {3, true}, not_a_pair]]]),
    io:format("~w~n", [[X * Y || X <- lists:seq(1, 4), Y <- lists:seq(X, 4), (X + Y) rem 2 =:= 0]]),
    io:format("~p~n", [[[C] || C <- "hello", C =/= $l]]),
    Nested = [[{R, C} || C <- lists:seq(1, 3)] || R <- lists:seq(1, 2)],
    io:format("~w~n", [Nested]),
    io:format("~w~n", [[X || X <- lists:seq(1, 50), is_prime(X)]]).

is_prime(N) when N < 2 -> false;
is_prime(N) -> not lists:any(fun(D) -> N rem D =:= 0 end, lists:seq(2, trunc(math:sqrt(N)))).
