-module(list_comprehension_basic).
-export([main/0]).

main() ->
    io:format("~w~n", [[X * 2 || X <- [1, 2, 3]]]),
    io:format("~w~n", [[X || X <- [1, 2, 3, 4, 5, 6], X rem 2 =:= 0]]),
    io:format("~w~n", [[{X, Y} || X <- [1, 2], Y <- [x, y], X =/= 2 orelse Y =/= y]]),
    io:format("~w~n", [[X || X <- []]]),
    io:format("~w~n", [[ok || _ <- lists:seq(1, 3)]]),
    io:format("~p~n", [[string:uppercase(W) || W <- ["one", "two"]]]),
    io:format("~w~n", [[X || {ok, X} <- [{ok, 1}, error, {ok, 2}, {ok, 3, extra}]]]),
    io:format("~w~n", [lists:sum([X * X || X <- lists:seq(1, 100), X rem 3 =:= 0])]),
    io:format("~w~n", [[[Y || Y <- lists:seq(1, X)] || X <- lists:seq(1, 4)]]),
    io:format("~w~n", [length([x || _ <- lists:seq(1, 100000)])]).
