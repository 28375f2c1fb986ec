-module(bin_int_signed_unsigned).
-export([main/0]).

main() ->
    Vals = [0, 1, -1, 127, -128, 255, 32767, -32768, 65535, 16#12345678, -16#12345678],
    lists:foreach(
        fun(V) ->
            B16 = <<V:16/big-signed>>,
            L16 = <<V:16/little-signed>>,
            B32 = <<V:32/big>>,
            L32 = <<V:32/little>>,
            <<U16:16/big-unsigned>> = B16,
            <<S16:16/big-signed>> = B16,
            <<LS16:16/little-signed>> = L16,
            <<U32:32>> = B32,
            <<S32:32/signed>> = B32,
            <<LU32:32/little>> = L32,
            io:format("~w: ~w ~w ~w ~w | ~w ~w ~w ~w ~w ~w~n",
                      [V, B16, L16, B32, L32, U16, S16, LS16, U32, S32, LU32])
        end,
        Vals
    ),
    <<A:8/signed, B:8/unsigned, C:4/signed, D:4>> = <<200, 200, 16#F7>>,
    io:format("~w ~w ~w ~w~n", [A, B, C, D]),
    <<E:64/signed>> = <<255, 255, 255, 255, 255, 255, 255, 254>>,
    <<F:64>> = <<255, 255, 255, 255, 255, 255, 255, 254>>,
    io:format("~w ~w~n", [E, F]),
    <<G:64/little-signed>> = <<0, 0, 0, 0, 0, 0, 0, 128>>,
    io:format("~w~n", [G]).
