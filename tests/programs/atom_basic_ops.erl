-module(atom_basic_ops).
-export([main/0]).

main() ->
    io:format("~w~n", [atom_to_list(hello)]),
    io:format("~w~n", [list_to_atom("world")]),
    io:format("~p~n", [atom_to_binary(erlang)]),
    io:format("~p~n", [atom_to_binary('héllo', utf8)]),
    io:format("~p~n", [atom_to_binary('héllo', latin1)]),
    io:format("~p~n", [binary_to_atom(<<"from_bin">>, utf8)]),
    io:format("~p~n", [list_to_existing_atom("ok")]),
    io:format("~p~n", [try list_to_existing_atom("surely_not_an_existing_atom_xyz") catch error:R -> R end]),
    io:format("~w ~w~n", [is_atom(true), is_boolean(maybe_not)]),
    io:format("~w~n", [length(atom_to_list('a longer atom with spaces'))]),
    io:format("~w~n", [lists:sort([zebra, apple, 'Apple', '_x', mango])]),
    io:format("~w~n", [[A || A <- [true, false, undefined, ok, error], is_boolean(A)]]),
    io:format("~w~n", [erlang:atom_to_list(list_to_atom(lists:duplicate(255, $z))) =:= lists:duplicate(255, $z)]),
    io:format("~p~n", [try list_to_atom(lists:duplicate(256, $z)) catch error:R2 -> R2 end]),
    io:format("~w~n", [atom_length(abc)]).

atom_length(A) -> length(atom_to_list(A)).
