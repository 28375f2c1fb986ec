%% An uncaught exception ends the run with exit status 1, after the output
%% printed before it.
-module(crash).
-export([main/0]).

main() ->
    erlang:display(before),
    erlang:display(walk([1, 2, 3, oops, 5])),
    erlang:display(never).

walk([]) -> 0;
walk([H | T]) -> H + walk(T).
