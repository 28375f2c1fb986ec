-module(otp_ets_set_basic).
-export([main/0]).

main() ->
    T = ets:new(things, [set]),
    true = ets:insert(T, {apple, red, 3}),
    true = ets:insert(T, [{banana, yellow, 5}, {cherry, red, 10}]),
    io:format("~p~n", [ets:lookup(T, apple)]),
    io:format("~p~n", [ets:lookup(T, grape)]),
    io:format("~p~n", [ets:member(T, banana)]),
    true = ets:insert(T, {apple, green, 4}),
    io:format("~p~n", [ets:lookup(T, apple)]),
    io:format("~p~n", [ets:insert_new(T, {apple, x, 0})]),
    io:format("~p~n", [ets:lookup_element(T, cherry, 3)]),
    io:format("~p~n", [lists:sort(ets:tab2list(T))]),
    io:format("~p~n", [ets:info(T, size)]),
    true = ets:delete(T, banana),
    io:format("~p~n", [lists:sort(ets:tab2list(T))]),
    io:format("~p~n", [ets:update_element(T, cherry, {2, dark_red})]),
    io:format("~p~n", [ets:lookup(T, cherry)]),
    io:format("~p~n", [lists:sort(ets:match(T, {'$1', '_', '$2'}))]),
    io:format("~p~n", [ets:foldl(fun({_, _, N}, A) -> N + A end, 0, T)]),
    Named = ets:new(named_table_test, [named_table, public]),
    ets:insert(named_table_test, {k, v}),
    io:format("~p ~p~n", [Named, ets:lookup(named_table_test, k)]),
    true = ets:delete(T),
    io:format("~p~n", [try ets:lookup(T, apple) catch error:R -> R end]),
    ets:delete(named_table_test).
