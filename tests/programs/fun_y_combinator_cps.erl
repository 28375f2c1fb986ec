-module(fun_y_combinator_cps).
-export([main/0]).

main() ->
    Y = fun(F) -> (fun(X) -> F(fun(V) -> (X(X))(V) end) end)(fun(X) -> F(fun(V) -> (X(X))(V) end) end) end,
    Fact = Y(fun(Self) -> fun(0) -> 1; (N) -> N * Self(N - 1) end end),
    io:format("~w~n", [Fact(25)]),
    io:format("~w~n", [fact_cps(10, fun(R) -> R end)]),
    io:format("~w~n", [fib_cps(20, fun(R) -> R end)]),
    io:format("~w~n", [sum_cps(lists:seq(1, 100000), fun(R) -> R end)]),
    Thunks = [fun() -> N * N end || N <- lists:seq(1, 5)],
    io:format("~w~n", [[T() || T <- Thunks]]).

fact_cps(0, K) -> K(1);
fact_cps(N, K) -> fact_cps(N - 1, fun(R) -> K(N * R) end).

fib_cps(N, K) when N < 2 -> K(N);
fib_cps(N, K) -> fib_cps(N - 1, fun(A) -> fib_cps(N - 2, fun(B) -> K(A + B) end) end).

sum_cps([], K) -> K(0);
sum_cps([H | T], K) -> sum_cps(T, fun(R) -> K(H + R) end).
