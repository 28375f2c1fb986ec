-module(rec_ackermann).
-export([main/0]).

main() ->
    [io:format("ack(~w, ~w) = ~w~n", [M, N, ack(M, N)]) || M <- lists:seq(0, 3), N <- lists:seq(0, 4)],
    io:format("ack(2, 50) = ~w~n", [ack(2, 50)]),
    ok.

ack(0, N) -> N + 1;
ack(M, 0) -> ack(M - 1, 1);
ack(M, N) -> ack(M - 1, ack(M, N - 1)).
