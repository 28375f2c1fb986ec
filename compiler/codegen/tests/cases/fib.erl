%% Doubly recursive Fibonacci: non-tail calls and small-integer arithmetic.
-module(fib).
-export([main/0]).

main() ->
    erlang:display(fib(25)),
    erlang:display([fib(N) || N <- [0, 1, 2, 10, 20]]).

fib(N) when N < 2 -> N;
fib(N) -> fib(N - 1) + fib(N - 2).
