-module(display_in_loop).
-export([main/0]).

main() ->
    loop(1, 1),
    lists:foreach(fun(X) -> erlang:display({square, X, X * X}) end, lists:seq(1, 10)).

loop(N, _) when N > 15 -> ok;
loop(N, Acc) ->
    erlang:display(Acc),
    loop(N + 1, Acc * N).
