-module(proc_selective_receive).
-export([main/0]).

main() ->
    Self = self(),
    [Self ! M || M <- [{low, 1}, {high, 1}, {low, 2}, other, {high, 2}, {low, 3}]],
    io:format("~p~n", [drain_high([])]),
    io:format("~p~n", [drain_low([])]),
    io:format("~p~n", [drain_all([])]),
    Self ! {reply, 2, b},
    Self ! {reply, 1, a},
    Self ! {reply, 3, c},
    io:format("~p~n", [[receive {reply, N, V} -> V end || N <- [1, 2, 3]]]).

drain_high(Acc) ->
    receive {high, N} -> drain_high([N | Acc])
    after 0 -> lists:reverse(Acc)
    end.

drain_low(Acc) ->
    receive {low, N} -> drain_low([N | Acc])
    after 0 -> lists:reverse(Acc)
    end.

drain_all(Acc) ->
    receive M -> drain_all([M | Acc])
    after 0 -> lists:reverse(Acc)
    end.
