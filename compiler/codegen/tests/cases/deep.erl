%% Non-tail recursion 1,000,000 frames deep: the stack grows in process memory.
-module(deep).
-export([main/0]).

main() ->
    erlang:display(sum(1000000)),
    erlang:display(length(up(1000000))).

sum(0) -> 0;
sum(N) -> N + sum(N - 1).

up(0) -> [];
up(N) -> [N | up(N - 1)].
