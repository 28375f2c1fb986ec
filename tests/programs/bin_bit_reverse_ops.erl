-module(bin_bit_reverse_ops).
-export([main/0]).

main() ->
    B = <<2#10110000, 2#00001111, 2#10101010>>,
    io:format("~w~n", [reverse_bits(B)]),
    io:format("~w~n", [reverse_bytes(B)]),
    io:format("~w~n", [popcount(B)]),
    io:format("~w~n", [xor_bins(B, <<255, 255, 255>>)]),
    io:format("~w~n", [rotl(<<1, 2, 3, 4>>, 8)]),
    io:format("~w~n", [rotl(<<16#80, 0>>, 1)]),
    io:format("~w~n", [[bit_at(B, I) || I <- lists:seq(0, 23)]]),
    io:format("~w~n", [hamming(<<"karolin">>, <<"kathrin">>)]).

reverse_bits(B) -> << <<X:1>> || <<X:1>> <= reverse_bitstring(B) >>.
reverse_bitstring(B) -> list_to_bitstring(lists:reverse([<<X:1>> || <<X:1>> <= B])).
reverse_bytes(B) -> list_to_binary(lists:reverse(binary_to_list(B))).
popcount(B) -> lists:sum([X || <<X:1>> <= B]).
xor_bins(A, B) -> crypto_free_xor(A, B, <<>>).
crypto_free_xor(<<X, RA/binary>>, <<Y, RB/binary>>, Acc) -> crypto_free_xor(RA, RB, <<Acc/binary, (X bxor Y)>>);
crypto_free_xor(<<>>, <<>>, Acc) -> Acc.
rotl(B, N) -> <<H:N/bits, T/bits>> = B, <<T/bits, H/bits>>.
bit_at(B, I) -> <<_:I, X:1, _/bits>> = B, X.
hamming(A, B) -> length([x || {X, Y} <- lists:zip(binary_to_list(A), binary_to_list(B)), X =/= Y]).
