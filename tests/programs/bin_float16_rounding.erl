%% Half-precision float segments: rounding, subnormals, overflow to infinity.
-module(bin_float16_rounding).
-export([main/0]).
main() ->
    Vs = [0.0, 1.0e-8, 3.0e-8, 5.960464477539063e-8, 6.1e-5, 6.103515625e-5, 65504.0, 65519.0, 65520.0, 0.1, 1/3, -2.5, 1.0e-300, 2049.0, 2051.0],
    [io:format("~p ~p~n", [V, try <<X:16>> = <<V:16/float>>, {X, begin <<F:16/float>> = <<X:16>>, F end} catch C:R -> {C, R} end]) || V <- Vs],
    io:format("~p~n", [[B || <<B:16/float>> <= <<16#7C00:16, 16#FC00:16, 16#7E00:16, 16#0001:16, 16#3C00:16>>]]).
