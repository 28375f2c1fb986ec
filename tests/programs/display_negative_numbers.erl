-module(display_negative_numbers).
-export([main/0]).

main() ->
    erlang:display(-1),
    erlang:display(-0.0),
    erlang:display([-1, -2.5, -(1 bsl 70)]),
    erlang:display({-1, 1}),
    erlang:display(-123456789),
    erlang:display(0 - 576460752303423488),
    erlang:display(-576460752303423489).
