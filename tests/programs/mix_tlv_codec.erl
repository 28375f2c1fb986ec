-module(mix_tlv_codec).
-export([main/0]).

%% A type-length-value binary codec for nested terms.
main() ->
    Terms = [42, -7, 1 bsl 70, <<"bytes">>, "text", [1, [2, [3]]], {point, 1.5, -2.0}, #{k => [v]}, true],
    lists:foreach(
        fun(T) ->
            B = encode(T),
            {Back, <<>>} = decode(B),
            io:format("~p -> ~w bytes, round trip ~p~n", [T, byte_size(B), Back =:= T])
        end,
        Terms
    ),
    io:format("~w~n", [encode({a, 1})]).

encode(I) when is_integer(I) -> tlv(1, int_bytes(I));
encode(F) when is_float(F) -> tlv(2, <<F/float>>);
encode(B) when is_binary(B) -> tlv(3, B);
encode(A) when is_atom(A) -> tlv(4, atom_to_binary(A));
encode(L) when is_list(L) -> tlv(5, << <<(encode(X))/binary>> || X <- L >>);
encode(T) when is_tuple(T) -> tlv(6, << <<(encode(X))/binary>> || X <- tuple_to_list(T) >>);
encode(M) when is_map(M) -> tlv(7, encode(lists:sort(maps:to_list(M)))).

tlv(Type, Value) -> <<Type:8, (byte_size(Value)):32, Value/binary>>.

int_bytes(I) when I >= 0 -> <<0, (binary:encode_unsigned(I))/binary>>;
int_bytes(I) -> <<1, (binary:encode_unsigned(-I))/binary>>.

decode(<<Type:8, Len:32, Value:Len/binary, Rest/binary>>) -> {value(Type, Value), Rest}.

value(1, <<0, U/binary>>) -> binary:decode_unsigned(U);
value(1, <<1, U/binary>>) -> -binary:decode_unsigned(U);
value(2, <<F/float>>) -> F;
value(3, B) -> B;
value(4, A) -> binary_to_atom(A);
value(5, Items) -> decode_all(Items);
value(6, Items) -> list_to_tuple(decode_all(Items));
value(7, Inner) -> {Pairs, <<>>} = decode(Inner), maps:from_list(Pairs).

decode_all(<<>>) -> [];
decode_all(B) -> {X, Rest} = decode(B), [X | decode_all(Rest)].
