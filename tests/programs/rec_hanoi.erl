-module(rec_hanoi).
-export([main/0]).

main() ->
    Moves = hanoi(4, a, c, b),
    io:format("~w moves~n", [length(Moves)]),
    [io:format("~w -> ~w~n", [F, T]) || {F, T} <- Moves],
    io:format("20 discs: ~w moves~n", [count(20)]).

hanoi(0, _, _, _) -> [];
hanoi(N, From, To, Via) ->
    hanoi(N - 1, From, Via, To) ++ [{From, To}] ++ hanoi(N - 1, Via, To, From).

count(0) -> 0;
count(N) -> 2 * count(N - 1) + 1.
