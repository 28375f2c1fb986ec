%% Quicksort on small lists: list comprehensions, guards, ++.
-module(qsort).
-export([main/0]).

main() ->
    erlang:display(qsort([3, 1, 4, 1, 5, 9, 2, 6, 5, 3, 5])),
    erlang:display(qsort([])),
    erlang:display(qsort([b, a, {x}, 1, "s", 2.5])),
    erlang:display(qsort(lcg(40, 7, []))).

qsort([]) -> [];
qsort([P | Xs]) ->
    qsort([X || X <- Xs, X < P]) ++ [P] ++ qsort([X || X <- Xs, X >= P]).

lcg(0, _, Acc) -> Acc;
lcg(N, S, Acc) ->
    S1 = (S * 1103515245 + 12345) rem 2147483648,
    lcg(N - 1, S1, [S1 rem 1000 | Acc]).
