-module(int_literal_step).
-export([main/0]).

%% Adding and subtracting integer literals at run time (the operand comes
%% through a list, so erlc cannot fold it): around the 60-bit small-integer
%% limit, with negative literals and zero, and on floats and non-numbers.
main() ->
    Max = (1 bsl 59) - 1,
    Min = -(1 bsl 59),
    Xs = [Max, Max - 1, Max - 2, Min, Min + 1, Min + 2, 0, -1, 1,
          Max + 1, Min - 1, 1 bsl 64, -(1 bsl 64), 2.5, -0.0],
    lists:foreach(fun step/1, Xs),
    lists:foreach(fun bad/1, [a, [], {1}, <<>>]),
    io:format("~w~n", [count(10, 0)]).

step(X) ->
    io:format("~w~n", [zero(X)]),
    io:format("~w ~w ~w ~w ~w ~w ~w~n",
              [X + 1, X - 1, 1 + X, X + 2, X - 2, X + -3, X - -3]),
    io:format("~w ~w~n", [X + 576460752303423487, X - 576460752303423487]),
    io:format("~w ~w~n", [X + -576460752303423488, X - -576460752303423488]).

bad(X) ->
    R1 = try X + 1 catch error:E1 -> E1 end,
    R2 = try X - 1 catch error:E2 -> E2 end,
    R3 = try 1 + X catch error:E3 -> E3 end,
    io:format("~w ~w ~w~n", [R1, R2, R3]).

%% Alone: erlc drops `X + 0` where an earlier arithmetic operation on X
%% proved it a number (then -0.0 + 0 stays -0.0).
zero(X) -> X + 0.

count(0, Acc) -> Acc;
count(N, Acc) -> count(N - 1, Acc + 7).
