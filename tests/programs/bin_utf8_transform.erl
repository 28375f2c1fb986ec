-module(bin_utf8_transform).
-export([main/0]).

main() ->
    S = <<"Ünïcödé strîng → ✓ 𝔘"/utf8>>,
    Upper = << <<(up(C))/utf8>> || <<C/utf8>> <= S >>,
    io:format("~w~n", [Upper]),
    Codes = [C || <<C/utf8>> <= S],
    io:format("~w~n", [Codes]),
    io:format("~w ~w~n", [length(Codes), byte_size(S)]),
    Ascii = << <<C>> || <<C/utf8>> <= S, C < 128 >>,
    io:format("~p~n", [Ascii]),
    Utf16 = << <<C/utf16>> || <<C/utf8>> <= S >>,
    io:format("~w~n", [byte_size(Utf16)]),
    Back = << <<C/utf8>> || <<C/utf16>> <= Utf16 >>,
    io:format("~w~n", [Back =:= S]).

up(C) when C >= $a, C =< $z -> C - 32;
up(C) -> C.
