-module(term_order_mixed).
-export([main/0]).

%% number < atom < reference < fun < port < pid < tuple < map < [] < list < binary
main() ->
    Terms = [<<"b">>, [1], [], #{}, {1}, abc, 42, 3.5, "str", {a, b}, #{a => 1}, <<>>, -5, zzz, {}, [a | b]],
    io:format("~p~n", [lists:sort(Terms)]),
    io:format("~p~n", [lists:reverse(lists:sort(Terms))]),
    io:format("~w~n", [{1, 2} < {1, 2, 3}]),
    io:format("~w~n", [{2} < {1, 2}]),
    io:format("~w~n", [[1, 2] < [1, 2, 3]]),
    io:format("~w~n", [[2] > [1, 2, 3]]),
    io:format("~w~n", [<<1, 2>> < <<1, 2, 0>>]),
    io:format("~w~n", [#{a => 1} < #{a => 2}]),
    io:format("~w~n", [#{b => 1} < #{a => 1, c => 1}]),
    io:format("~w~n", [#{1 => a} < #{a => a}]),
    io:format("~w~n", [#{1 => a} < #{1.0 => a}]),
    io:format("~w~n", [lists:sort([#{1.0 => x}, #{1 => x}, #{0 => y}])]),
    io:format("~w~n", [fun erlang:abs/1 < self()]),
    io:format("~w~n", [make_ref() < fun erlang:abs/1]),
    io:format("~w~n", [erlang:max(a, 1)]),
    io:format("~w~n", [lists:max([[], {}, #{}, <<>>])]).
