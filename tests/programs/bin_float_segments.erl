-module(bin_float_segments).
-export([main/0]).

main() ->
    Fs = [0.0, 1.0, -2.5, 3.141592653589793, 1.0e300, 1.0e-300, 65504.0, 0.1],
    lists:foreach(
        fun(F) ->
            B64 = <<F:64/float>>,
            L64 = <<F:64/float-little>>,
            <<F64:64/float>> = B64,
            io:format("~p: ~w ~w ~p~n", [F, B64, L64, F64])
        end,
        Fs
    ),
    B32 = <<1.5:32/float, 0.1:32/float, -0.0:32/float>>,
    io:format("~w~n", [B32]),
    <<X:32/float, Y:32/float, Z:32/float>> = B32,
    io:format("~p ~p ~p~n", [X, Y, Z]),
    H = <<1.5:16/float, 65504.0:16/float, -0.5:16/float-little>>,
    io:format("~w~n", [H]),
    <<H1:16/float, H2:16/float, H3:16/float-little>> = H,
    io:format("~p ~p ~p~n", [H1, H2, H3]),
    io:format("~w~n", [<<7:64/float>>]),
    io:format("~w~n", [try <<1.0e300:32/float>> catch error:R -> R end]),
    Inf = <<16#7FF0000000000000:64>>,
    io:format("~p~n", [case Inf of <<V:64/float>> -> {float, V}; _ -> not_a_float end]),
    NaN = <<16#7FF8000000000000:64>>,
    io:format("~p~n", [case NaN of <<V2:64/float>> -> {float, V2}; _ -> not_a_float end]),
    io:format("~p~n", [case <<16#7F800000:32>> of <<V3:32/float>> -> V3; _ -> inf32_no_match end]),
    io:format("~w~n", [[F || <<F:32/float>> <= <<1.0:32/float, 2.0:32/float>>]]).
