-module(map_fold_filter_map).
-export([main/0]).

main() ->
    Prices = #{apple => 3, banana => 1, cherry => 10, date => 7, elder => 2},
    io:format("~p~n", [maps:fold(fun(_, V, Acc) -> V + Acc end, 0, Prices)]),
    io:format("~p~n", [maps:filter(fun(_, V) -> V > 2 end, Prices)]),
    io:format("~p~n", [maps:map(fun(K, V) -> {K, V * 100} end, Prices)]),
    io:format("~p~n", [maps:filtermap(fun(_, V) when V > 5 -> {true, big}; (_, V) -> V =:= 1 end, Prices)]),
    io:format("~p~n", [maps:update_with(apple, fun(V) -> V + 1 end, Prices)]),
    io:format("~p~n", [maps:update_with(fig, fun(V) -> V + 1 end, 0, Prices)]),
    maps:foreach(fun(K, V) -> io:format("~p=~p ", [K, V]) end, Prices),
    io:format("~n"),
    io:format("~p~n", [maps:groups_from_list(fun(X) -> X rem 3 end, lists:seq(1, 10))]),
    io:format("~p~n", [maps:groups_from_list(fun(X) -> X rem 2 end, fun(X) -> X * X end, lists:seq(1, 6))]),
    io:format("~p~n", [maps:intersect(#{a => 1, b => 2}, #{b => 3, c => 4})]),
    io:format("~p~n", [maps:intersect_with(fun(_, A, B) -> A + B end, #{a => 1, b => 2}, #{b => 3, c => 4})]).
