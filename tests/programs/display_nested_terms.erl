-module(display_nested_terms).
-export([main/0]).

main() ->
    erlang:display({a, [b, {c, [d, {e}]}], #{}}),
    erlang:display([[], [[]], [[[]]]]),
    erlang:display([1 | 2]),
    erlang:display([a, b | c]),
    erlang:display({{{{{deep}}}}}),
    erlang:display(lists:seq(1, 30)),
    erlang:display(list_to_tuple(lists:seq(1, 20))),
    erlang:display({}),
    erlang:display({[{k, v}], [{1, 2}, {3, 4}]}).
