-module(otp_ets_bag_counters).
-export([main/0]).

main() ->
    B = ets:new(b, [bag]),
    ets:insert(B, [{k, 1}, {k, 2}, {k, 1}, {j, 3}]),
    io:format("~p~n", [lists:sort(ets:lookup(B, k))]),
    D = ets:new(d, [duplicate_bag]),
    ets:insert(D, [{k, 1}, {k, 2}, {k, 1}]),
    io:format("~p~n", [lists:sort(ets:lookup(D, k))]),
    ets:delete_object(D, {k, 1}),
    io:format("~p~n", [lists:sort(ets:lookup(D, k))]),
    C = ets:new(c, [set]),
    ets:insert(C, {hits, 0}),
    [ets:update_counter(C, hits, 1) || _ <- lists:seq(1, 100)],
    io:format("~p~n", [ets:lookup(C, hits)]),
    io:format("~p~n", [ets:update_counter(C, hits, {2, 10, 150, 0})]),
    io:format("~p~n", [ets:update_counter(C, hits, {2, 50, 150, 0})]),
    io:format("~p~n", [ets:update_counter(C, misses, 5, {misses, 100})]),
    ets:insert(C, {multi, 1, 2, 3}),
    io:format("~p~n", [ets:update_counter(C, multi, [{2, 1}, {4, -3}])]),
    io:format("~p~n", [try ets:update_counter(C, nokey, 1) catch error:R -> R end]),
    io:format("~p~n", [lists:sort(ets:match_object(B, {k, '_'}))]),
    io:format("~p~n", [ets:take(C, multi)]),
    io:format("~p~n", [ets:lookup(C, multi)]).
