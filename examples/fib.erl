%% Naive doubly recursive Fibonacci: function calls and small-integer arithmetic.
-module(fib).
-export([main/0, main/1]).

main() -> main(["30"]).

main([Arg]) ->
    N = list_to_integer(Arg),
    erlang:display(fib(N)).

fib(N) when N < 2 -> N;
fib(N) -> fib(N - 1) + fib(N - 2).
