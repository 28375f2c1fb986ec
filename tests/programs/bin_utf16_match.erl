-module(bin_utf16_match).
-export([main/0]).

main() ->
    Chars = [$A, 233, 8364, 55295, 57344, 65535, 65536, 128512, 1114111],
    lists:foreach(
        fun(C) -> io:format("~w -> ~w ~w~n", [C, <<C/utf16>>, <<C/utf16-little>>]) end,
        Chars
    ),
    Big = << <<C/utf16>> || C <- Chars >>,
    Little = << <<C/utf16-little>> || C <- Chars >>,
    io:format("~w~n", [[C || <<C/utf16>> <= Big]]),
    io:format("~w~n", [[C || <<C/utf16-little>> <= Little]]),
    <<Hi/utf16, Rest/binary>> = <<128512/utf16, "x">>,
    io:format("~w ~w~n", [Hi, Rest]),
    io:format("~p~n", [case <<16#D800:16>> of <<X/utf16>> -> X; _ -> lone_surrogate end]),
    io:format("~p~n", [case <<16#DC00:16, 0:16>> of <<X2/utf16, _/binary>> -> X2; _ -> bad_pair end]),
    io:format("~p~n", [try <<16#D800/utf16>> catch error:R -> R end]),
    io:format("~w~n", [unicode:characters_to_list(Big, utf16) =:= Chars]).
