-module(list_sort_variants).
-export([main/0]).

main() ->
    L = [5, 3, 8, 1, 9, 2, 7, 3, 5],
    io:format("~w~n", [lists:sort(L)]),
    io:format("~w~n", [lists:usort(L)]),
    io:format("~w~n", [lists:sort(fun(A, B) -> A >= B end, L)]),
    People = [{bob, 32}, {alice, 28}, {carol, 32}, {dave, 19}],
    io:format("~w~n", [lists:keysort(2, People)]),
    io:format("~w~n", [lists:keysort(1, People)]),
    io:format("~w~n", [lists:ukeysort(2, People)]),
    io:format("~w~n", [lists:merge([1, 4, 7], [2, 3, 9])]),
    io:format("~w~n", [lists:umerge([1, 2, 4], [2, 3, 4])]),
    Mixed = [b, 3, "str", {1, 2}, 2.5, [1], a, <<"bin">>, #{k => v}, 1],
    io:format("~p~n", [lists:sort(Mixed)]),
    io:format("~w~n", [lists:sort([{2, b}, {1, z}, {2, a}, {1, a}])]),
    io:format("~w~n", [lists:reverse(lists:sort(lists:seq(1, 10)))]),
    Big = [(X * 7919) rem 1009 || X <- lists:seq(1, 2000)],
    Sorted = lists:sort(Big),
    io:format("~w ~w ~w~n", [hd(Sorted), lists:last(Sorted), lists:sum(lists:sublist(Sorted, 100))]).
