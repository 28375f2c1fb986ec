-module(map_iterator_order).
-export([main/0]).

main() ->
    M = #{3 => c, 1 => a, 2 => b, x => 24, "s" => str, 1.5 => f},
    io:format("~p~n", [walk(maps:next(maps:iterator(M)))]),
    io:format("~p~n", [maps:to_list(M)]),
    Big = maps:from_list([{N, N} || N <- lists:seq(100, 140)]),
    io:format("~w~n", [walk(maps:next(maps:iterator(Big)))]),
    io:format("~w~n", [maps:next(maps:iterator(#{}))]),
    {K1, V1, Rest} = maps:next(maps:iterator(M)),
    io:format("~p ~p ~p~n", [K1, V1, walk(maps:next(Rest))]).

walk(none) -> [];
walk({K, V, I}) -> [{K, V} | walk(maps:next(I))].
