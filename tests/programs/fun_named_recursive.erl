-module(fun_named_recursive).
-export([main/0]).

main() ->
    Fact = fun F(0) -> 1; F(N) -> N * F(N - 1) end,
    io:format("~w~n", [Fact(20)]),
    Fib = fun Fib(0) -> 0; Fib(1) -> 1; Fib(N) -> Fib(N - 1) + Fib(N - 2) end,
    io:format("~w~n", [[Fib(N) || N <- lists:seq(0, 15)]]),
    Len = fun L([]) -> 0; L([_ | T]) -> 1 + L(T) end,
    io:format("~w~n", [Len(lists:seq(1, 1000))]),
    Loop = fun Loop(0, Acc) -> Acc; Loop(N, Acc) -> Loop(N - 1, Acc + N) end,
    io:format("~w~n", [Loop(1000000, 0)]),
    Walk = fun W({node, L, V, R}) -> W(L) ++ [V] ++ W(R); W(leaf) -> [] end,
    Tree = {node, {node, leaf, 1, leaf}, 2, {node, {node, leaf, 3, leaf}, 4, leaf}},
    io:format("~w~n", [Walk(Tree)]).
