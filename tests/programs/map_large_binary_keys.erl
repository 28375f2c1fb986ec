-module(map_large_binary_keys).
-export([main/0]).

main() ->
    Keys = [<<"key", (integer_to_binary(N))/binary>> || N <- lists:seq(1, 60)],
    M = maps:from_list(lists:zip(Keys, lists:seq(1, 60))),
    io:format("~p~n", [M]),
    io:format("~p~n", [maps:keys(M)]),
    M2 = maps:map(fun(_, V) -> V * 2 end, M),
    io:format("~w~n", [maps:values(M2)]),
    M3 = maps:without([<<"key1">>, <<"key2">>, <<"key60">>], M2),
    io:format("~w ~w~n", [map_size(M3), maps:get(<<"key30">>, M3)]),
    Strs = maps:from_list([{integer_to_list(N), N} || N <- lists:seq(1, 40)]),
    io:format("~w~n", [maps:to_list(Strs)]),
    Tuples = maps:from_list([{{N, N rem 3}, N} || N <- lists:seq(1, 36)]),
    io:format("~w~n", [maps:keys(Tuples)]).
