-module(map_mixed_key_types).
-export([main/0]).

main() ->
    M = #{1 => int, 1.0 => float, a => atom, "a" => list, <<"a">> => bin, {1} => tuple,
          [1] => list1, #{} => emptymap, -1 => neg, 100000000000000000000 => big},
    io:format("~p~n", [M]),
    io:format("~p~n", [maps:to_list(M)]),
    io:format("~p ~p~n", [maps:get(1, M), maps:get(1.0, M)]),
    io:format("~p~n", [maps:is_key(2, M)]),
    Cmp = #{0 => zero, -0.0 => negzero, 0.0 => poszero},
    io:format("~p~n", [Cmp]),
    io:format("~p~n", [map_size(Cmp)]),
    io:format("~w~n", [#{a => 1} =:= #{a => 1.0}]),
    io:format("~w~n", [#{a => 1} == #{a => 1.0}]).
