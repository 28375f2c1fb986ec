-module(bin_size_unit).
-export([main/0]).

main() ->
    io:format("~w~n", [<<5:2/unit:8>>]),
    io:format("~w~n", [<<1:3/unit:4>>]),
    <<X:4/unit:8, Rest/binary>> = <<0, 0, 1, 0, 9, 9>>,
    io:format("~w ~w~n", [X, Rest]),
    <<Bits:3/binary-unit:2, Six:3/unit:2, _/bits>> = <<255, 7>>,
    io:format("~p ~w~n", [Bits, Six]),
    <<Bin:2/binary-unit:16, _/binary>> = <<"abcdefgh">>,
    io:format("~p~n", [Bin]),
    N = 3,
    io:format("~w~n", [<<7:N/unit:8-little>>]),
    Bin2 = <<"xy">>,
    io:format("~w~n", [<<Bin2:1/binary, Bin2:2/binary-unit:4>>]),
    io:format("~w~n", [<<(-1):2/unit:3>>]).
