-module(tuple_basic_ops).
-export([main/0]).

main() ->
    T = {a, 1, "two", 3.0},
    io:format("~p ~w~n", [T, tuple_size(T)]),
    io:format("~p~n", [element(3, T)]),
    io:format("~p~n", [setelement(2, T, one)]),
    io:format("~p~n", [tuple_to_list(T)]),
    io:format("~p~n", [list_to_tuple([x, y, z])]),
    io:format("~p~n", [erlang:append_element(T, last)]),
    io:format("~p~n", [erlang:make_tuple(4, init)]),
    io:format("~p~n", [erlang:make_tuple(5, 0, [{2, two}, {4, four}])]),
    io:format("~p~n", [erlang:insert_element(2, T, inserted)]),
    io:format("~p~n", [erlang:delete_element(1, T)]),
    io:format("~p~n", [{}]),
    io:format("~p~n", [{{{nested}}}]),
    io:format("~p~n", [try element(9, T) catch error:R -> R end]),
    io:format("~p~n", [try setelement(0, T, x) catch error:R2 -> R2 end]),
    {A, B, _, _} = T,
    io:format("~p ~p~n", [A, B]),
    Swap = fun({X, Y}) -> {Y, X} end,
    io:format("~p~n", [lists:map(Swap, [{1, 2}, {3, 4}])]),
    io:format("~p~n", [size(T)]).
