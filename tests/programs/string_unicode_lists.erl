-module(string_unicode_lists).
-export([main/0]).

main() ->
    U = [72, 233, 108, 108, 246, 32, 8364, 32, 128512],
    B = unicode:characters_to_binary(U),
    io:format("~w~n", [B]),
    io:format("~w ~w~n", [byte_size(B), length(U)]),
    io:format("~w~n", [unicode:characters_to_list(B)]),
    io:format("~w~n", [unicode:characters_to_list(B) =:= U]),
    io:format("~w~n", [unicode:characters_to_binary(U, unicode, utf16)]),
    io:format("~w~n", [unicode:characters_to_binary(U, unicode, {utf32, little})]),
    io:format("~w~n", [unicode:characters_to_binary([233, 255], latin1, utf8)]),
    io:format("~w~n", [unicode:characters_to_list(<<233, 255>>, latin1)]),
    io:format("~w~n", [unicode:characters_to_binary(<<195, 40>>)]),
    io:format("~w~n", [string:length(U)]),
    io:format("~ts~n", [U]),
    io:format("~s~n", [[72, 233]]),
    io:format("~w~n", [unicode:bin_is_7bit(<<"abc">>)]),
    io:format("~w~n", [[C || <<C/utf8>> <= B]]),
    io:format("~w~n", [string:uppercase(U)]),
    io:format("~w~n", [unicode:characters_to_nfd_list([233])]),
    io:format("~w~n", [unicode:characters_to_nfc_list([101, 769])]).
