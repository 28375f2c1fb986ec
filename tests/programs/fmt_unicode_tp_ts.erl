-module(fmt_unicode_tp_ts).
-export([main/0]).

%% With stdout not a terminal, the device encoding is latin1 until changed.
main() ->
    Greek = [945, 946, 947],
    Mixed = "caf" ++ [233],
    io:format("~ts ~ts~n", [Greek, Mixed]),
    io:format("~tp ~tp~n", [Greek, Mixed]),
    io:format("~p ~p~n", [Greek, Mixed]),
    io:format("~ts~n", [<<"日本"/utf8>>]),
    io:format("~tp~n", [<<"日本"/utf8>>]),
    io:format("~p~n", [<<"日本"/utf8>>]),
    io:format("~tp~n", [['λ']]),
    ok = io:setopts([{encoding, unicode}]),
    io:format("~ts ~ts~n", [Greek, Mixed]),
    io:format("~tp~n", [<<"日本"/utf8>>]),
    io:format("~s~n", [Mixed]),
    io:put_chars(unicode:characters_to_binary(Greek)),
    io:nl(),
    ok = io:setopts([{encoding, latin1}]),
    io:format("~ts~n", [Greek]).
