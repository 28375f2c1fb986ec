-module(list_seq_zip_split).
-export([main/0]).

main() ->
    io:format("~w~n", [lists:seq(1, 10, 3)]),
    io:format("~w~n", [lists:seq(10, 1, -2)]),
    io:format("~w~n", [lists:seq(5, 4)]),
    io:format("~w~n", [lists:zip([a, b, c], [1, 2, 3])]),
    io:format("~w~n", [lists:zip3([a, b], [1, 2], [x, y])]),
    io:format("~w~n", [lists:unzip([{a, 1}, {b, 2}])]),
    io:format("~w~n", [lists:zipwith(fun(X, Y) -> X * Y end, [1, 2, 3], [4, 5, 6])]),
    io:format("~w~n", [lists:duplicate(4, xy)]),
    io:format("~w~n", [lists:sublist([1, 2, 3, 4, 5], 2, 3)]),
    io:format("~w~n", [lists:split(2, [a, b, c, d])]),
    io:format("~w~n", [lists:splitwith(fun(X) -> X < 3 end, [1, 2, 3, 1])]),
    io:format("~w~n", [lists:takewhile(fun(X) -> X < 3 end, [1, 2, 3, 1])]),
    io:format("~w~n", [lists:dropwhile(fun(X) -> X < 3 end, [1, 2, 3, 1])]),
    io:format("~w~n", [lists:enumerate([a, b, c])]),
    io:format("~w~n", [lists:uniq([3, 1, 3, 2, 1])]),
    io:format("~w~n", [lists:join(x, [1, 2, 3])]),
    io:format("~w~n", [lists:subtract([1, 2, 3, 2], [2])]).
