-module(mix_binary_search_sorted).
-export([main/0]).

main() ->
    Sorted = list_to_tuple([X * 3 || X <- lists:seq(0, 9999)]),
    Queries = [0, 3, 29997, 29998, 15000, -1, 1234 * 3, 100000],
    [io:format("~w -> ~p~n", [Q, search(Sorted, Q)]) || Q <- Queries],
    io:format("~p~n", [lower_bound(Sorted, 3001)]),
    io:format("~p~n", [isqrt(1 bsl 100)]),
    io:format("~p~n", [isqrt(99)]).

search(T, X) -> search(T, X, 1, tuple_size(T)).
search(_, _, Lo, Hi) when Lo > Hi -> not_found;
search(T, X, Lo, Hi) ->
    Mid = (Lo + Hi) div 2,
    case element(Mid, T) of
        X -> {found, Mid};
        V when V < X -> search(T, X, Mid + 1, Hi);
        _ -> search(T, X, Lo, Mid - 1)
    end.

lower_bound(T, X) -> lb(T, X, 1, tuple_size(T) + 1).
lb(_, _, Lo, Hi) when Lo >= Hi -> Lo;
lb(T, X, Lo, Hi) ->
    Mid = (Lo + Hi) div 2,
    case element(Mid, T) < X of
        true -> lb(T, X, Mid + 1, Hi);
        false -> lb(T, X, Lo, Mid)
    end.

isqrt(N) -> isqrt(N, 0, N + 1).
isqrt(_, Lo, Hi) when Hi - Lo =< 1 -> Lo;
isqrt(N, Lo, Hi) ->
    Mid = (Lo + Hi) div 2,
    if Mid * Mid =< N -> isqrt(N, Mid, Hi); true -> isqrt(N, Lo, Mid) end.
