-module(crash_function_clause).
-export([main/0]).

main() ->
    io:format("~p~n", [area({square, 3})]),
    io:format("~p~n", [area({circle, 1})]),
    io:format("~p~n", [area({hexagon, 2})]).

area({square, S}) -> S * S;
area({circle, R}) -> 3 * R * R.
