%% Binary construction and matching: integer, float, binary and utf
%% segments, sizes fixed and computed, signed and little-endian, and a
%% binary comprehension.
-module(binaries).
-export([main/0]).

main() ->
    B = <<1, 2, 300:16, -1:8/signed, 3.5/float, "abc">>,
    erlang:display(B),
    erlang:display(byte_size(B)),
    <<X:8, Y:8, Z:16, S:8/signed, F/float, Rest/binary>> = B,
    erlang:display({X, Y, Z, S, F, Rest}),
    erlang:display(<<1:1, 0:2, 5:5>>),
    erlang:display(<<7:3>>),
    erlang:display(<<258:16/little>>),
    <<L:16/little, _/binary>> = <<2, 1>>,
    erlang:display(L),
    erlang:display(words(<<"hello world here">>, <<>>, [])),
    erlang:display(<<"héllo"/utf8>>),
    erlang:display(chars(<<"héllo"/utf8>>)),
    N = 3,
    <<Head:N/binary, Tail/binary>> = <<"abcdef">>,
    erlang:display({Head, Tail}),
    erlang:display(<< <<(C + 1)>> || <<C>> <= <<"HAL">> >>),
    erlang:display(element(1, element(2, catch <<(id(a)):8>>))),
    erlang:display(sizes(<<1, 2, 3, 4, 5>>)),
    erlang:display(<<(1 bsl 70):80>>).

words(<<>>, W, Acc) -> lists:reverse([W | Acc], []);
words(<<$\s, T/binary>>, W, Acc) -> words(T, <<>>, [W | Acc]);
words(<<C, T/binary>>, W, Acc) -> words(T, <<W/binary, C>>, Acc).

chars(<<>>) -> [];
chars(<<C/utf8, T/binary>>) -> [C | chars(T)].

sizes(<<A:4, B:12, _/bits>>) -> {A, B};
sizes(_) -> none.

id(X) -> X.
