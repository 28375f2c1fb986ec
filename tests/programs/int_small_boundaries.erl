-module(int_small_boundaries).
-export([main/0]).

%% Values around the 60-bit small-integer limit, where representations change.
main() ->
    Edges = [(1 bsl N) + D || N <- [27, 28, 31, 32, 58, 59, 60, 61, 62, 63, 64], D <- [-1, 0, 1]],
    lists:foreach(
        fun(X) ->
            io:format("~w ~w ~w ~w ~w~n", [X, -X, X + X, X * 3, X div 7])
        end,
        Edges
    ),
    Max = (1 bsl 59) - 1,
    Min = -(1 bsl 59),
    io:format("~w ~w~n", [Max + 1, Min - 1]),
    io:format("~w ~w~n", [Max * Max, Min * Min]),
    io:format("~w~n", [(Max + 1) - 1 =:= Max]),
    io:format("~w~n", [is_integer(Max + 1)]),
    io:format("~w~n", [lists:sum(lists:duplicate(1000, Max))]),
    io:format("~w~n", [abs(Min)]),
    io:format("~w~n", [-Min]).
