-module(halt_zero_in_loop).
-export([main/0]).

main() ->
    loop(0).

loop(5) ->
    erlang:display(done),
    halt();
loop(N) ->
    erlang:display({n, N}),
    loop(N + 1).
