%% Doubly recursive Fibonacci: non-tail calls, small-integer arithmetic and
%% comparisons, nothing allocated.
%% vs_erl iterations: 80
-module(fib).
-export([main/0, main/1]).

main() ->
    main(["1"]).

main([Count]) ->
    erlang:display(loop(list_to_integer(Count), 0)).

loop(0, Acc) ->
    Acc;
loop(I, Acc) ->
    loop(I - 1, Acc + fib(27 + I rem 4)).

fib(N) when N < 2 ->
    N;
fib(N) ->
    fib(N - 1) + fib(N - 2).
