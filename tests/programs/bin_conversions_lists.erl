-module(bin_conversions_lists).
-export([main/0]).

main() ->
    io:format("~w~n", [binary_to_list(<<"abc">>, 2, 3)]),
    io:format("~w~n", [list_to_binary("abc")]),
    io:format("~w~n", [term_to_binary(abc) =:= term_to_binary(abc)]),
    io:format("~w~n", [binary_to_list(<<>>)]),
    io:format("~w~n", [bitstring_to_list(<<"ab", 1:1>>)]),
    io:format("~p~n", [list_to_binary([[$a], [[$b]], <<"c">>, [], $d])]),
    io:format("~p~n", [try list_to_binary([a]) catch error:R -> R end]),
    io:format("~p~n", [try list_to_binary([-1]) catch error:R2 -> R2 end]),
    io:format("~p~n", [integer_to_binary(-42)]),
    io:format("~p~n", [float_to_binary(2.5)]),
    io:format("~p~n", [atom_to_binary(ok, utf8)]),
    io:format("~p~n", [binary_to_existing_atom(<<"ok">>, utf8)]),
    io:format("~p~n", [erlang:binary_to_integer(<<"-0">>)]),
    io:format("~p~n", [unicode:characters_to_binary(["a", <<"b">>, [99]])]),
    io:format("~p~n", [erlang:list_to_binary(lists:seq(65, 90))]).
