-module(display_exceptions_caught).
-export([main/0]).

main() ->
    erlang:display(try 1 / zero() catch C:R -> {C, R} end),
    erlang:display(try throw(up) catch C2:R2 -> {C2, R2} end),
    erlang:display(catch exit(gone)),
    erlang:display(try error({a, "b"}) catch error:E -> E end),
    erlang:display(try lists:nth(0, []) catch error:E2 -> E2 end).

zero() -> 0.
