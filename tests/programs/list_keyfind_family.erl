-module(list_keyfind_family).
-export([main/0]).

main() ->
    L = [{apple, 3}, {banana, 5}, {cherry, 7}],
    io:format("~p~n", [lists:keyfind(banana, 1, L)]),
    io:format("~p~n", [lists:keyfind(grape, 1, L)]),
    io:format("~p~n", [lists:keyfind(7, 2, L)]),
    io:format("~p~n", [lists:keymember(apple, 1, L)]),
    io:format("~p~n", [lists:keystore(banana, 1, L, {banana, 50})]),
    io:format("~p~n", [lists:keystore(kiwi, 1, L, {kiwi, 1})]),
    io:format("~p~n", [lists:keydelete(apple, 1, L)]),
    io:format("~p~n", [lists:keyreplace(cherry, 1, L, {cherry, 0})]),
    io:format("~p~n", [lists:keytake(banana, 1, L)]),
    io:format("~p~n", [lists:keytake(none, 1, L)]),
    io:format("~p~n", [lists:keymap(fun(N) -> N * 10 end, 2, L)]),
    io:format("~p~n", [proplists:get_value(cherry, L)]),
    io:format("~p~n", [proplists:get_value(kiwi, L, default)]).
