%% Naive reverse: list building, append, many collections.
-module(nrev).
-export([main/0]).

main() ->
    L = seq(1, 300),
    R = loop(50, L, []),
    erlang:display(length(R)),
    erlang:display(hd(R)),
    erlang:display(lists:reverse(seq(1, 10), [done])),
    erlang:display(app([a, b], [c])).

loop(0, _, Acc) -> Acc;
loop(N, L, _) -> loop(N - 1, L, nrev(L)).

nrev([]) -> [];
nrev([H | T]) -> app(nrev(T), [H]).

app([], L) -> L;
app([H | T], L) -> [H | app(T, L)].

seq(N, M) when N > M -> [];
seq(N, M) -> [N | seq(N + 1, M)].
