-module(fmt_p_w_basic).
-export([main/0]).

main() ->
    Terms = [42, -3, 2.5, atom, 'Quoted atom', "string", [1, 2, 3], {tuple, 1}, <<"bin">>,
             #{a => 1}, [], {}, [{nested, [{deeper, "x"}]}], "tab\t", [$a | $b]],
    lists:foreach(fun(T) -> io:format("~p | ~w~n", [T, T]) end, Terms),
    io:format("~p~n", [lists:seq(1, 40)]),
    io:format("~w~n", [lists:seq(1, 40)]),
    io:format("~p~n", [[{key, "value"} || _ <- lists:seq(1, 6)]]),
    io:format("~P~n", [lists:seq(1, 20), 5]),
    io:format("~W~n", [{a, [b, [c, [d, [e]]]]}, 4]),
    io:format("~p~n", [{"a string", ["list", "of", "strings"], <<"and a binary">>}]).
