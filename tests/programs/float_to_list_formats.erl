-module(float_to_list_formats).
-export([main/0]).

main() ->
    Fs = [0.0, 1.0, -1.5, 3.141592653589793, 1.0e-7, 123456.789, 1.0e20, 0.1, 2.5e-10, 1.0e200],
    lists:foreach(
        fun(F) ->
            io:format("~s | ~s | ~s | ~s | ~s | ~s~n", [
                float_to_list(F),
                float_to_list(F, [short]),
                decimals(F, 3),
                float_to_list(F, [{decimals, 4}, compact]),
                float_to_list(F, [{scientific, 5}]),
                float_to_binary(F, [{scientific, 2}])
            ])
        end,
        Fs
    ),
    io:format("~s~n", [float_to_list(0.125, [{decimals, 2}])]),
    io:format("~s~n", [float_to_list(0.375, [{decimals, 2}])]),
    io:format("~s~n", [float_to_list(2.675, [{decimals, 2}])]),
    io:format("~s~n", [float_to_list(1.0e15, [{decimals, 0}])]),
    io:format("~s~n", [float_to_binary(1.0, [{decimals, 10}, compact])]),
    io:format("~s~n", [float_to_list(-0.0)]).

%% Plain notation is refused for very large floats.
decimals(F, N) ->
    try float_to_list(F, [{decimals, N}]) catch error:badarg -> "badarg" end.
