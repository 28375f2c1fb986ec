-module(bin_utf8_construct_match).
-export([main/0]).

main() ->
    Chars = [$a, 127, 128, 233, 2047, 2048, 8364, 65535, 65536, 128512, 1114111],
    lists:foreach(fun(C) -> io:format("~w -> ~w~n", [C, <<C/utf8>>]) end, Chars),
    B = << <<C/utf8>> || C <- Chars >>,
    io:format("~w~n", [byte_size(B)]),
    io:format("~w~n", [[C || <<C/utf8>> <= B]]),
    <<First/utf8, Second/utf8, _/binary>> = <<"é€x"/utf8>>,
    io:format("~w ~w~n", [First, Second]),
    io:format("~p~n", [try <<16#D800/utf8>> catch error:R -> R end]),
    io:format("~p~n", [try <<16#110000/utf8>> catch error:R2 -> R2 end]),
    io:format("~p~n", [case <<255, 1>> of <<Cx/utf8, _/binary>> -> Cx; _ -> invalid end]),
    io:format("~p~n", [case <<16#C0, 16#80>> of <<Cy/utf8>> -> Cy; _ -> overlong end]),
    io:format("~p~n", [count_chars(<<"naïve café ☕"/utf8>>, 0)]),
    io:format("~w~n", [<<"ab"/utf8>>]).

count_chars(<<>>, N) -> N;
count_chars(<<_/utf8, Rest/binary>>, N) -> count_chars(Rest, N + 1).
