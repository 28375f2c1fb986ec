-module(rec_nqueens).
-export([main/0]).

main() ->
    [io:format("~w queens: ~w solutions~n", [N, length(queens(N))]) || N <- lists:seq(1, 8)],
    io:format("first 8-queens solution: ~w~n", [hd(queens(8))]).

queens(N) -> place(N, N, []).

place(0, _, Placed) -> [lists:reverse(Placed)];
place(K, N, Placed) ->
    lists:append([place(K - 1, N, [Col | Placed]) || Col <- lists:seq(1, N), safe(Col, Placed, 1)]).

safe(_, [], _) -> true;
safe(Col, [C | Rest], D) ->
    Col =/= C andalso abs(Col - C) =/= D andalso safe(Col, Rest, D + 1).
