-module(fmt_integer_bases).
-export([main/0]).

main() ->
    Ns = [0, 7, 255, -255, 4096, 1 bsl 65],
    lists:foreach(
        fun(N) ->
            io:format("~b ~.2b ~.8b ~.16b ~.16B ~.36B~n", [N, N, N, N, N, N])
        end,
        Ns
    ),
    io:format("~.16x ~.16X~n", [255, "0x", 255, "0x"]),
    io:format("~.16#~n", [255]),
    io:format("~.2#~n", [5]),
    io:format("~.16+~n", [255]),
    io:format("~8.16.0b~n", [255]),
    io:format("~-8.2b|~n", [5]),
    io:format("~8.2.0B~n", [-5]),
    io:format("~s~n", [integer_to_list(123456789, 7)]).
