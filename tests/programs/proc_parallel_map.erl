-module(proc_parallel_map).
-export([main/0]).

main() ->
    io:format("~w~n", [pmap(fun(X) -> X * X end, lists:seq(1, 20))]),
    io:format("~w~n", [pmap(fun fib/1, lists:seq(15, 25))]),
    io:format("~p~n", [pmap(fun(X) -> 10 div X end, [5, 2, 0, 1])]).

pmap(F, L) ->
    Self = self(),
    Refs = [begin
                Ref = make_ref(),
                spawn(fun() -> Self ! {Ref, try {ok, F(X)} catch C:R -> {C, R} end} end),
                Ref
            end || X <- L],
    [receive {Ref, Result} -> unwrap(Result) end || Ref <- Refs].

unwrap({ok, V}) -> V;
unwrap(Err) -> Err.

fib(N) when N < 2 -> N;
fib(N) -> fib(N - 1) + fib(N - 2).
