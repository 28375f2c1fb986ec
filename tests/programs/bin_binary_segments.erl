-module(bin_binary_segments).
-export([main/0]).

main() ->
    Packet = <<3, "abc", 2, "de", 0, "rest of it">>,
    io:format("~p~n", [parse(Packet, [])]),
    <<Head:4/binary, Tail/binary>> = <<"0123456789">>,
    io:format("~p ~p~n", [Head, Tail]),
    <<_:2/binary, Mid:3/binary, _/binary>> = <<"abcdefgh">>,
    io:format("~p~n", [Mid]),
    Len = 5,
    <<Chunk:Len/binary-unit:8, _/bits>> = <<"hello world">>,
    io:format("~p~n", [Chunk]),
    io:format("~p~n", [<<Head/binary, "-", Tail/binary>>]),
    io:format("~p~n", [try <<Head:8/binary>> catch error:R -> R end]),
    io:format("~p~n", [case <<"ab">> of <<X:3/binary>> -> X; _ -> too_short end]),
    <<A/binary>> = <<"whole">>,
    io:format("~p~n", [A]),
    io:format("~p~n", [[B || <<B:2/binary>> <= <<"aabbccd">>]]).

parse(<<0, Rest/binary>>, Acc) -> {lists:reverse(Acc), Rest};
parse(<<N, Str:N/binary, Rest/binary>>, Acc) -> parse(Rest, [Str | Acc]).
