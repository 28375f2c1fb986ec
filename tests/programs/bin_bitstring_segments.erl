-module(bin_bitstring_segments).
-export([main/0]).

main() ->
    B = <<1:3>>,
    io:format("~p ~w ~w~n", [B, bit_size(B), byte_size(B)]),
    C = <<B/bitstring, 5:5, 1:2>>,
    io:format("~p ~w~n", [C, bit_size(C)]),
    io:format("~w ~w~n", [is_binary(C), is_bitstring(C)]),
    <<X:3, Rest/bits>> = C,
    io:format("~w ~p~n", [X, Rest]),
    <<Y:10/bitstring, Z/bitstring>> = <<"abc">>,
    io:format("~p ~p~n", [Y, Z]),
    io:format("~w~n", [bitstring_to_list(<<1, 2, 3:4>>)]),
    io:format("~p~n", [list_to_bitstring([<<1:1>>, <<1:1>>, 255])]),
    io:format("~p~n", [<< <<Bit:1>> || Bit <- [1, 0, 1, 1, 0, 0, 1] >>]),
    io:format("~w~n", [[Bit || <<Bit:1>> <= <<2#10110010>>]]),
    io:format("~p~n", [<<B/bits, B/bits, B/bits>>]),
    io:format("~p~n", [try list_to_binary([<<1:1>>]) catch error:R -> R end]),
    io:format("~w~n", [erlang:bit_size(<<>>)]),
    io:format("~p~n", [binary:part(<<"abcdef">>, 2, 2)]),
    Odd = <<1:1, 2#1010101:7, 3:2>>,
    io:format("~p~n", [Odd]).
