-module(map_tuple_list_keys).
-export([main/0]).

%% Compound keys in a map large enough to be a hash trie.
main() ->
    M = maps:from_list([{{X, Y}, X * Y} || X <- lists:seq(1, 8), Y <- lists:seq(1, 8)]),
    io:format("~w~n", [map_size(M)]),
    io:format("~w~n", [maps:get({7, 6}, M)]),
    io:format("~w~n", [maps:keys(M)]),
    L = maps:from_list([{[N, N + 1], N} || N <- lists:seq(1, 40)]),
    io:format("~w~n", [maps:to_list(L)]),
    F = maps:from_list([{N / 4, N} || N <- lists:seq(1, 40)]),
    io:format("~w~n", [maps:keys(F)]),
    io:format("~w~n", [maps:get(2.5, F)]).
