-module(fmt_widths_precision).
-export([main/0]).

main() ->
    io:format("[~10s]~n", ["right"]),
    io:format("[~-10s]~n", ["left"]),
    io:format("[~10.3s]~n", ["truncated"]),
    io:format("[~.3s]~n", ["truncated"]),
    io:format("[~5w]~n", [42]),
    io:format("[~-5w]~n", [42]),
    io:format("[~3w]~n", [123456]),
    io:format("[~10p]~n", [atom]),
    io:format("[~*w]~n", [8, star]),
    io:format("[~-*w]~n", [8, star]),
    io:format("[~.*f]~n", [2, 3.14159]),
    io:format("[~10.4f]~n", [2.5]),
    io:format("[~-10.1f]~n", [2.5]),
    io:format("[~10.. s]~n", ["pad"]),
    io:format("[~10..-s]~n", ["dash"]),
    io:format("[~-10..-s]~n", ["dash"]),
    io:format("[~8..0w]~n", [123]),
    io:format("[~5c]~n", [$x]),
    io:format("[~.3c]~n", [$y]),
    io:format("[~20p]~n", [{a, b}]).
