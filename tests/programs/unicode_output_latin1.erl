-module(unicode_output_latin1).
-export([main/0]).

main() ->
    S = [104, 233, 1000, 8364],
    io:format("~ts|~n", [S]),
    io:format("~tp|~p|~w~n", [S, S, S]),
    io:format("~s~n", [[200, 201]]),
    io:put_chars(unicode:characters_to_binary([955, 97])),
    io:nl(),
    io:format("~p~n", [io:getopts()]),
    ok = io:setopts([{encoding, unicode}]),
    io:format("~ts|~tp~n", [S, S]),
    io:format("~p~n", [io:getopts()]),
    io:format("~p~n", [io:columns()]).
