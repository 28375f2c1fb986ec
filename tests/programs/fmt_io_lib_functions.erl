-module(fmt_io_lib_functions).
-export([main/0]).

main() ->
    S = io_lib:format("~w + ~w = ~w", [1, 2, 3]),
    io:format("~p~n", [S]),
    io:format("~s~n", [lists:flatten(S)]),
    io:format("~p~n", [lists:flatten(io_lib:write({a, [1, 2]}))]),
    io:format("~p~n", [lists:flatten(io_lib:print({a, "str"}))]),
    io:format("~p~n", [io_lib:write_string("quote\"me")]),
    io:format("~p~n", [io_lib:write_atom('needs quotes')]),
    io:format("~p~n", [lists:flatten(io_lib:write(1.5))]),
    io:format("~p~n", [io_lib:printable_list("abc")]),
    io:format("~p~n", [io_lib:printable_list([1, 2])]),
    io:format("~p~n", [io_lib:printable_unicode_list([1000])]),
    io:format("~p~n", [io_lib:char_list("chars")]),
    io:format("~p~n", [io_lib:fread("~d ~s", "42 hello")]),
    io:format("~p~n", [io_lib:fread("~f", "2.5")]),
    io:format("~p~n", [lists:flatten(io_lib:format("~8.3f", [1.0]))]),
    io:format("~p~n", [iolist_to_binary(io_lib:format("~p", [<<"b">>]))]),
    io:format("~p~n", [lists:flatten(io_lib:format("~tp", [[1000]]))]),
    io:format("~p~n", [lists:flatten(io_lib:format("~ts", [[1000]]))]),
    io:format("~p~n", [try io_lib:format("~d", [notint]) catch error:R -> R end]).
