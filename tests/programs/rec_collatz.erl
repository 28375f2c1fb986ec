-module(rec_collatz).
-export([main/0]).

main() ->
    {Best, Len} = best(1, 30000, {0, 0}),
    io:format("longest chain below 30000 starts at ~w (~w steps)~n", [Best, Len]),
    io:format("27: ~w~n", [chain(27)]),
    io:format("~w~n", [lists:sublist(chain(97), 15)]).

steps(1, Acc) -> Acc;
steps(N, Acc) when N rem 2 =:= 0 -> steps(N div 2, Acc + 1);
steps(N, Acc) -> steps(3 * N + 1, Acc + 1).

best(N, Max, Acc) when N >= Max -> Acc;
best(N, Max, {_, BL} = Acc) ->
    L = steps(N, 0),
    if
        L > BL -> best(N + 1, Max, {N, L});
        true -> best(N + 1, Max, Acc)
    end.

chain(1) -> [1];
chain(N) when N rem 2 =:= 0 -> [N | chain(N div 2)];
chain(N) -> [N | chain(3 * N + 1)].
