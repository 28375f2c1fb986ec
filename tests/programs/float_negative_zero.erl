-module(float_negative_zero).
-export([main/0]).

main() ->
    Z = 0.0,
    N = -0.0,
    io:format("~p ~p~n", [Z, N]),
    io:format("~w ~w~n", [Z == N, Z =:= N]),
    io:format("~w~n", [N * 5]),
    io:format("~w~n", [0.0 * -1]),
    io:format("~w~n", [-1.0e-320 * 1.0e-10]),
    io:format("~w~n", [abs(N)]),
    io:format("~w~n", [-Z]),
    io:format("~w~n", [Z - Z]),
    io:format("~w~n", [N + N]),
    io:format("~w~n", [lists:sort([N, Z, -1.0, 1.0])]),
    io:format("~w~n", [<<N/float>>]),
    io:format("~w~n", [<<Z/float>>]),
    io:format("~s~n", [float_to_list(N, [{decimals, 2}])]),
    io:format("~w~n", [round(N)]),
    io:format("~w~n", [erlang:phash2(0) =:= erlang:phash2(0)]).
