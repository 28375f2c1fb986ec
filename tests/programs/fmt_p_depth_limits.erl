-module(fmt_p_depth_limits).
-export([main/0]).

main() ->
    Deep = {a, {b, {c, {d, {e, {f}}}}}},
    [io:format("~P~n", [Deep, D]) || D <- [1, 2, 3, 5, 10]],
    L = lists:seq(1, 50),
    [io:format("~W~n", [L, D]) || D <- [1, 3, 10]],
    io:format("~P~n", ["a long string here", 3]),
    io:format("~P~n", [<<"binary data is here">>, 3]),
    io:format("~P~n", [#{a => 1, b => 2, c => 3}, 2]),
    io:format("~P~n", [[{x, [y, [z]]}, {x, [y, [z]]}], 4]).
