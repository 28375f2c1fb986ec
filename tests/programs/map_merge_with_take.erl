-module(map_merge_with_take).
-export([main/0]).

main() ->
    A = #{a => 1, b => 2, c => 3},
    B = #{b => 20, c => 30, d => 40},
    io:format("~p~n", [maps:merge(A, B)]),
    io:format("~p~n", [maps:merge(B, A)]),
    io:format("~p~n", [maps:merge_with(fun(_, X, Y) -> X + Y end, A, B)]),
    io:format("~p~n", [maps:with([a, d, z], maps:merge(A, B))]),
    io:format("~p~n", [maps:without([a, b], A)]),
    io:format("~p~n", [maps:take(b, A)]),
    io:format("~p~n", [maps:take(z, A)]),
    Big1 = maps:from_list([{N, x} || N <- lists:seq(1, 50)]),
    Big2 = maps:from_list([{N, y} || N <- lists:seq(40, 90)]),
    Merged = maps:merge(Big1, Big2),
    io:format("~w ~w ~w~n", [map_size(Merged), maps:get(45, Merged), maps:get(10, Merged)]),
    io:format("~w~n", [maps:keys(maps:merge_with(fun(_, _, _) -> both end, Big1, Big2))]).
