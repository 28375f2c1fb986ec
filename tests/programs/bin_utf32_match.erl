-module(bin_utf32_match).
-export([main/0]).

main() ->
    Chars = [0, $z, 255, 65536, 1114111],
    io:format("~w~n", [<< <<C/utf32>> || C <- Chars >>]),
    io:format("~w~n", [<< <<C/utf32-little>> || C <- Chars >>]),
    B = << <<C/utf32>> || C <- Chars >>,
    io:format("~w~n", [[C || <<C/utf32>> <= B]]),
    io:format("~p~n", [case <<16#110000:32>> of <<X/utf32>> -> X; _ -> too_big end]),
    io:format("~p~n", [case <<16#DFFF:32>> of <<X2/utf32>> -> X2; _ -> surrogate end]),
    io:format("~p~n", [try <<16#DFFF/utf32>> catch error:R -> R end]),
    <<A/utf32-little, Rest/binary>> = <<65:32/little, "tail">>,
    io:format("~w ~p~n", [A, Rest]),
    io:format("~w~n", [unicode:characters_to_binary("hi", unicode, utf32)]).
