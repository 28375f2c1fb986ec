%% Parallel work: 8 processes each compute fib(K) N times; the speed-up from
%% one scheduler thread to two shows whether the schedulers run processes
%% in parallel.
%% vs_erl iterations: 200
%% vs_erl schedulers: 1 2
-module(parallel).
-export([main/0, main/1]).

main() ->
    main(["1"]).

main([Count]) ->
    N = list_to_integer(Count),
    Self = self(),
    Workers = 8,
    [spawn(fun() -> Self ! {result, work(N, 0)} end) || _ <- lists_seq(Workers)],
    erlang:display(gather(Workers, 0)).

lists_seq(0) -> [];
lists_seq(I) -> [I | lists_seq(I - 1)].

work(0, Acc) ->
    Acc;
work(N, Acc) ->
    work(N - 1, (Acc + fib(24)) band 16#FFFFFFF).

fib(N) when N < 2 -> N;
fib(N) -> fib(N - 1) + fib(N - 2).

gather(0, Sum) ->
    Sum;
gather(K, Sum) ->
    receive
        {result, R} -> gather(K - 1, (Sum + R) band 16#FFFFFFF)
    end.
