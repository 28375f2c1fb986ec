-module(bin_size_from_match).
-export([main/0]).

%% Length-prefixed fields: a size bound earlier in the pattern sizes a later
%% segment.
main() ->
    Msg = build([<<"alpha">>, <<>>, <<"gamma ray">>, binary:copy(<<"z">>, 300)]),
    io:format("~w bytes~n", [byte_size(Msg)]),
    Fields = parse(Msg, []),
    io:format("~p~n", [[{byte_size(F), binary:part(F, 0, min(5, byte_size(F)))} || F <- Fields]]),
    <<L:8, S:L/binary, Bits:L, _/bits>> = <<3, "abc", 255, 0>>,
    io:format("~p ~w~n", [S, Bits]),
    <<N:4, Items:N/binary-unit:4, _/bits>> = <<2:4, 16#AB:8, 0:4>>,
    io:format("~w~n", [Items]),
    io:format("~p~n", [case <<5, "ab">> of <<K, V:K/binary>> -> V; _ -> truncated end]).

build(Fields) -> << <<(byte_size(F)):16, F/binary>> || F <- Fields >>.

parse(<<>>, Acc) -> lists:reverse(Acc);
parse(<<Len:16, Field:Len/binary, Rest/binary>>, Acc) -> parse(Rest, [Field | Acc]).
