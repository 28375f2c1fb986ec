-module(bin_int_odd_sizes).
-export([main/0]).

main() ->
    B = <<5:3, 1000:12, -3:5, 16#1FFFFFFFF:33, 7:4, 1:1, 0:6>>,
    io:format("~w ~w~n", [B, bit_size(B)]),
    <<A:3, C:12, D:5/signed, E:33, F:4, G:1, H:6>> = B,
    io:format("~w~n", [[A, C, D, E, F, G, H]]),
    Wide = <<(1 bsl 70 + 5):72, -(1 bsl 65):67/signed>>,
    io:format("~w~n", [Wide]),
    <<W1:72, W2:67/signed>> = Wide,
    io:format("~w ~w~n", [W1, W2]),
    <<L1:24/little, L2:17/little>> = <<1, 2, 3, 4, 5, 1:1>>,
    io:format("~w ~w~n", [L1, L2]),
    io:format("~w~n", [<<300:9/little>>]),
    io:format("~w~n", [<<-1:100>>]),
    io:format("~w~n", [<<1:0>>]),
    Size = 7,
    io:format("~w~n", [<<99:Size, 1:(Size + 1)>>]),
    io:format("~w~n", [[X || <<X:5>> <= <<255, 128, 7, 1, 9>>]]).
