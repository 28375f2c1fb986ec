-module(list_fold_map_filter).
-export([main/0]).

main() ->
    L = lists:seq(1, 10),
    io:format("~w~n", [lists:foldl(fun(X, Acc) -> X + Acc end, 0, L)]),
    io:format("~w~n", [lists:foldr(fun(X, Acc) -> [X * X | Acc] end, [], L)]),
    io:format("~w~n", [lists:foldl(fun(X, Acc) -> [X | Acc] end, [], L)]),
    io:format("~w~n", [lists:map(fun(X) -> X * 3 end, L)]),
    io:format("~w~n", [lists:filter(fun(X) -> X rem 3 =:= 0 end, L)]),
    io:format("~w~n", [lists:filtermap(fun(X) when X > 5 -> {true, X * 100}; (X) -> X rem 2 =:= 0 end, L)]),
    io:format("~w~n", [lists:mapfoldl(fun(X, S) -> {X * 2, S + X} end, 0, L)]),
    io:format("~w~n", [lists:mapfoldr(fun(X, S) -> {S, S + X} end, 0, L)]),
    io:format("~w~n", [lists:partition(fun(X) -> X < 4 end, L)]),
    io:format("~w~n", [lists:flatmap(fun(X) -> lists:duplicate(X rem 3, X) end, L)]),
    io:format("~w ~w~n", [lists:all(fun is_integer/1, L), lists:any(fun(X) -> X > 10 end, L)]),
    io:format("~w~n", [lists:foldl(fun(X, {Min, Max}) -> {min(X, Min), max(X, Max)} end, {100, -100}, [7, -3, 42, 0])]).
