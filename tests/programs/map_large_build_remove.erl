-module(map_large_build_remove).
-export([main/0]).

main() ->
    M = lists:foldl(fun(K, Acc) -> Acc#{K => integer_to_list(K)} end, #{}, lists:seq(1, 5000)),
    io:format("~w~n", [map_size(M)]),
    M2 = lists:foldl(fun(K, Acc) -> maps:remove(K, Acc) end, M, lists:seq(1, 5000, 2)),
    io:format("~w~n", [map_size(M2)]),
    io:format("~p ~p~n", [maps:get(2, M2), maps:find(3, M2)]),
    Sum = maps:fold(fun(K, _, A) -> K + A end, 0, M2),
    io:format("~w~n", [Sum]),
    Shrunk = maps:filter(fun(K, _) -> K < 70 end, M2),
    io:format("~p~n", [Shrunk]),
    io:format("~w~n", [lists:sublist(maps:keys(M2), 40)]),
    io:format("~w~n", [erlang:phash2(lists:sort(maps:to_list(M2)))]).
