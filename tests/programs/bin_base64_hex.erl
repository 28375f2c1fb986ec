-module(bin_base64_hex).
-export([main/0]).

main() ->
    Inputs = [<<>>, <<"f">>, <<"fo">>, <<"foo">>, <<"foob">>, <<"fooba">>, <<"foobar">>, <<0, 255, 128>>],
    lists:foreach(
        fun(I) ->
            E = base64:encode(I),
            io:format("~p -> ~p -> ~p~n", [I, E, base64:decode(E)])
        end,
        Inputs
    ),
    io:format("~p~n", [base64:encode_to_string("hello world")]),
    io:format("~p~n", [base64:mime_decode(<<"aGVs\nbG8=">>)]),
    io:format("~p~n", [binary:encode_hex(<<0, 1, 254, 255>>)]),
    io:format("~p~n", [[io_lib:format("~2.16.0b", [X]) || <<X>> <= <<1, 171, 255>>]]),
    io:format("~p~n", [try base64:decode(<<"@@@">>) catch error:R -> R end]).
