-module(hello_format).
-export([main/0]).

main() ->
    io:format("Hello, world!~n"),
    io:format("~p ~w ~s~n", [{a, "str", 1.5}, [1, 2, 3], "plain"]),
    io:put_chars("put_chars line\n"),
    io:format("no newline at end").
