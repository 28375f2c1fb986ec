-module(int_div_rem_signs).
-export([main/0]).

main() ->
    Pairs = [{7, 2}, {-7, 2}, {7, -2}, {-7, -2}, {0, 5}, {1 bsl 62, 3}, {-(1 bsl 62), 7}],
    [io:format("~w div ~w = ~w, rem = ~w~n", [A, B, A div B, A rem B]) || {A, B} <- Pairs],
    io:format("~w~n", [[X rem 3 || X <- lists:seq(-5, 5)]]),
    io:format("~w~n", [try 1 div 0 catch error:R -> R end]),
    io:format("~w~n", [try 1 rem 0 catch error:R2 -> R2 end]),
    io:format("~w~n", [try 1.0 / 0 catch error:R3 -> R3 end]),
    io:format("~w~n", [7 / 2]),
    io:format("~w~n", [-7 / 2]),
    io:format("~w~n", [6 / 3]),
    io:format("~w~n", [floor_div(-7, 2)]).

floor_div(A, B) ->
    Q = A div B,
    case (A rem B =/= 0) andalso ((A < 0) =/= (B < 0)) of
        true -> Q - 1;
        false -> Q
    end.
