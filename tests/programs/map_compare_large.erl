-module(map_compare_large).
-export([main/0]).

main() ->
    A = maps:from_list([{N, N} || N <- lists:seq(1, 50)]),
    B = maps:from_list([{N, N} || N <- lists:reverse(lists:seq(1, 50))]),
    C = A#{50 := 51},
    D = maps:remove(1, A),
    io:format("~w ~w ~w~n", [A =:= B, A == C, A < C]),
    io:format("~w ~w~n", [D < A, A < #{0 => 0}]),
    io:format("~w~n", [lists:sort([C, A, D, #{}, #{1 => 1}])
                       =:= lists:sort([D, #{1 => 1}, A, #{}, C])]),
    io:format("~w~n", [[map_size(X) || X <- lists:sort([C, A, D, #{}, #{1 => 1}])]]),
    io:format("~w~n", [erlang:phash2(A) =:= erlang:phash2(B)]),
    io:format("~w~n", [maps:merge(A, C) =:= C]),
    S1 = maps:from_list([{K, v} || K <- [a, b, c]]),
    S2 = maps:from_list([{K, v} || K <- [c, b, a]]),
    io:format("~w ~p~n", [S1 =:= S2, S1]).
