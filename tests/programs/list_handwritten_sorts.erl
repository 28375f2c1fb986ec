-module(list_handwritten_sorts).
-export([main/0]).

main() ->
    L = [(X * 37 + 11) rem 101 || X <- lists:seq(1, 60)],
    Q = qsort(L),
    M = msort(L),
    I = isort(L),
    io:format("~w~n", [Q]),
    io:format("~w ~w ~w~n", [Q =:= M, M =:= I, Q =:= lists:sort(L)]),
    Big = [(X * 7919) rem 100003 || X <- lists:seq(1, 20000)],
    io:format("~w~n", [msort(Big) =:= lists:sort(Big)]).

qsort([]) -> [];
qsort([P | T]) -> qsort([X || X <- T, X < P]) ++ [P] ++ qsort([X || X <- T, X >= P]).

msort([]) -> [];
msort([X]) -> [X];
msort(L) ->
    {A, B} = lists:split(length(L) div 2, L),
    merge(msort(A), msort(B)).

merge([], B) -> B;
merge(A, []) -> A;
merge([X | A], [Y | _] = B) when X =< Y -> [X | merge(A, B)];
merge(A, [Y | B]) -> [Y | merge(A, B)].

isort(L) -> lists:foldl(fun ins/2, [], L).
ins(X, []) -> [X];
ins(X, [H | T]) when X =< H -> [X, H | T];
ins(X, [H | T]) -> [H | ins(X, T)].
