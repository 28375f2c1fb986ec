%% Runtime calls that allocate (bignum and float arithmetic) right before
%% inline allocations in the same block, many times over a live stack: the
%% heap check must account for what the runtime takes.
-module(bif_alloc).
-export([main/0]).

main() ->
    erlang:display(walk(100000, [])),
    erlang:display(length(nest_many(3000))),
    erlang:display(nest(300)).

walk(0, Acc) -> sum(Acc, 0);
walk(N, Acc) ->
    T = {N * 1000000000000000000, [N / 2], N + 0.5},
    walk(N - 1, [T | Acc]).

sum([], S) -> S;
sum([{B, [H], F} | T], S) -> sum(T, S + B + H + F).

%% Non-tail recursion so that frames sit above the heap while it fills.
nest(0) -> [];
nest(N) -> [{N * 100000000000000000000, N * 1.5} | nest(N - 1)] ++ [N].

%% Frames on the stack while every block allocates after a runtime call.
nest_many(0) -> [];
nest_many(N) -> [{N * 10000000000000000000, [N]} | nest_many(N - 1)].
