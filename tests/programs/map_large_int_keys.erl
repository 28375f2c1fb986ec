-module(map_large_int_keys).
-export([main/0]).

%% Over 32 keys a map becomes a hash trie; with integer keys its iteration
%% order is deterministic, and printing shows it.
main() ->
    M = maps:from_list([{K, K * K} || K <- lists:seq(1, 100)]),
    io:format("~w~n", [M]),
    io:format("~w~n", [maps:keys(M)]),
    io:format("~w~n", [maps:to_list(maps:filter(fun(K, _) -> K rem 10 =:= 0 end, M))]),
    M40 = maps:from_list([{K * 7919, K} || K <- lists:seq(1, 40)]),
    io:format("~p~n", [M40]),
    io:format("~w~n", [maps:fold(fun(K, V, Acc) -> [{K, V} | Acc] end, [], M40)]),
    Neg = maps:from_list([{-K, K} || K <- lists:seq(1, 35)]),
    io:format("~w~n", [maps:keys(Neg)]),
    Big = maps:from_list([{1 bsl K, K} || K <- lists:seq(50, 90)]),
    io:format("~w~n", [maps:values(Big)]),
    io:format("~w~n", [maps:get(1 bsl 70, Big)]).
