-module(busy_worker_waits).
-export([main/0]).

%% A worker that computes for many time slices between messages, keeping
%% data alive across each wait for the next request: its heap grows while
%% it computes and is collected again when it waits. Every result and the
%% data it kept must come through.
main() ->
    W = spawn(fun() -> worker([], 0) end),
    Rs = [request(W, N) || N <- [10, 30, 5, 60, 1]],
    erlang:display(Rs),
    W ! {self(), stop},
    receive {W, Kept} -> erlang:display(Kept) end,
    ok.

request(W, N) ->
    W ! {self(), N},
    receive {W, R} -> R end.

worker(Kept, Count) ->
    receive
        {From, stop} ->
            From ! {self(), {Count, lists:reverse(Kept)}};
        {From, N} ->
            L = lists:seq(1, N),
            R = churn(2000, L, 0),
            From ! {self(), R},
            worker([{N, L, R} | Kept], Count + 1)
    end.

%% Naive reverse of L, I times: much garbage, little kept.
churn(0, _L, Acc) ->
    Acc;
churn(I, L, Acc) ->
    churn(I - 1, L, (Acc + weigh(nrev(L), 1, 0)) rem 1000003).

nrev([]) -> [];
nrev([H | T]) -> nrev(T) ++ [H].

weigh([], _, Acc) -> Acc;
weigh([H | T], P, Acc) -> weigh(T, P + 1, Acc + H * P).
