-module(tuple_large).
-export([main/0]).

main() ->
    T = list_to_tuple(lists:seq(1, 1000)),
    io:format("~w ~w ~w~n", [tuple_size(T), element(1, T), element(1000, T)]),
    T2 = lists:foldl(fun(I, Acc) -> setelement(I, Acc, I * I) end, T, lists:seq(1, 1000, 7)),
    io:format("~w~n", [lists:sum(tuple_to_list(T2))]),
    io:format("~w~n", [element(8, T2)]),
    Small = erlang:make_tuple(40, x),
    io:format("~p~n", [Small]),
    io:format("~w~n", [T2 > T]),
    io:format("~w~n", [{1, 2, 3} < {1, 2, 4}]),
    io:format("~w~n", [{9} < {1, 1}]),
    io:format("~w~n", [sum_tuple(T, 1, 0)]).

sum_tuple(T, I, Acc) when I > tuple_size(T) -> Acc;
sum_tuple(T, I, Acc) -> sum_tuple(T, I + 1, Acc + element(I, T)).
