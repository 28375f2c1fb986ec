-module(bin_append_loop).
-export([main/0]).

%% Appending to a binary in a loop is the common way to build one.
main() ->
    B = build(0, 10000, <<>>),
    io:format("~w ~w~n", [byte_size(B), erlang:crc32(B)]),
    io:format("~w~n", [binary:part(B, 9990, 10)]),
    S = lists:foldl(fun(N, Acc) -> <<Acc/binary, (integer_to_binary(N))/binary, ",">> end, <<>>, lists:seq(1, 2000)),
    io:format("~w ~p~n", [byte_size(S), binary:part(S, 0, 20)]),
    Bits = lists:foldl(fun(N, Acc) -> <<Acc/bits, (N band 1):1>> end, <<>>, lists:seq(1, 100)),
    io:format("~w ~p~n", [bit_size(Bits), Bits]),
    io:format("~w~n", [sum_bytes(B, 0)]).

build(N, N, Acc) -> Acc;
build(I, N, Acc) -> build(I + 1, N, <<Acc/binary, (I rem 256)>>).

sum_bytes(<<X, Rest/binary>>, Acc) -> sum_bytes(Rest, Acc + X);
sum_bytes(<<>>, Acc) -> Acc.
