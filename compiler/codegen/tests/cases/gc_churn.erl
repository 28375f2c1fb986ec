%% Allocates enough to trigger many collections while data stays live.
-module(gc_churn).
-export([main/0]).

main() ->
    T = tree(16),
    erlang:display(count(T)),
    erlang:display(churn(200, T)),
    erlang:display(big(40, 1)),
    erlang:display(sumlist(keep(200000, []), 0)).

tree(0) -> leaf;
tree(N) -> {node, N, tree(N - 1), tree(N - 1)}.

count(leaf) -> 0;
count({node, _, L, R}) -> 1 + count(L) + count(R).

churn(0, T) -> count(T);
churn(N, T) ->
    _ = [{X, [X]} || X <- seq(1, 100)],
    churn(N - 1, T).

big(0, Acc) -> Acc;
big(N, Acc) -> big(N - 1, Acc * 1000003 + N).

keep(0, Acc) -> Acc;
keep(N, Acc) -> keep(N - 1, [{N, N * 2} | Acc]).

sumlist([], S) -> S;
sumlist([{A, B} | T], S) -> sumlist(T, S + A + B).

seq(N, M) when N > M -> [];
seq(N, M) -> [N | seq(N + 1, M)].
