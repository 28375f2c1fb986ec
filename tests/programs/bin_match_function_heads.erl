-module(bin_match_function_heads).
-export([main/0]).

%% A toy packet format: type byte, then a type-specific body.
main() ->
    Packets = [<<1, 0, 42>>, <<2, 5, "hello">>, <<3, 1:1, 0:1, 12:6, 3.5/float>>,
               <<4, 16#FFFF:16, 16#1:16>>, <<9>>, <<2, 10, "short">>],
    [io:format("~p~n", [decode(P)]) || P <- Packets],
    io:format("~p~n", [encode({text, <<"round trip">>})]),
    io:format("~p~n", [decode(encode({text, <<"round trip">>}))]).

decode(<<1, N:16>>) -> {int, N};
decode(<<2, Len, Text:Len/binary>>) -> {text, Text};
decode(<<3, Flag:1, Other:1, Code:6, F/float>>) -> {flags, Flag, Other, Code, F};
decode(<<4, A:16, B:16>>) when A > B -> {range, B, A};
decode(<<T, _/binary>>) -> {unknown, T}.

encode({text, T}) -> <<2, (byte_size(T)), T/binary>>.
