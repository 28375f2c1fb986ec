-module(map_basic_ops).
-export([main/0]).

main() ->
    M = #{a => 1, b => 2, c => 3},
    io:format("~p~n", [M]),
    io:format("~p ~p~n", [maps:get(a, M), maps:get(z, M, none)]),
    io:format("~p ~p~n", [maps:find(b, M), maps:find(z, M)]),
    io:format("~p~n", [maps:put(d, 4, M)]),
    io:format("~p~n", [maps:update(a, 100, M)]),
    io:format("~p~n", [maps:remove(b, M)]),
    io:format("~p ~p~n", [maps:is_key(c, M), maps:is_key(q, M)]),
    io:format("~p ~p~n", [maps:keys(M), maps:values(M)]),
    io:format("~p ~p~n", [maps:size(M), map_size(#{})]),
    io:format("~p~n", [maps:to_list(M)]),
    io:format("~p~n", [maps:from_list([{x, 1}, {y, 2}, {x, 3}])]),
    io:format("~p~n", [maps:new()]),
    io:format("~p~n", [try maps:get(z, M) catch error:E -> E end]),
    io:format("~p~n", [try maps:update(z, 1, M) catch error:E2 -> E2 end]),
    io:format("~p~n", [try maps:get(a, not_a_map) catch error:E3 -> E3 end]),
    io:format("~w~n", [#{1 => one, "two" => 2, {3} => three, 4.0 => four, [] => nil, <<"b">> => bin}]).
