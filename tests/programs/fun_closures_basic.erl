-module(fun_closures_basic).
-export([main/0]).

main() ->
    Add = fun(X) -> fun(Y) -> X + Y end end,
    Add5 = Add(5),
    io:format("~w ~w~n", [Add5(10), (Add(1))(1)]),
    Counter = make_counter(0),
    {V1, C1} = Counter(),
    {V2, C2} = C1(),
    {V3, _} = C2(),
    io:format("~w ~w ~w~n", [V1, V2, V3]),
    Fs = [fun(X) -> X * N end || N <- [1, 2, 3]],
    io:format("~w~n", [[F(10) || F <- Fs]]),
    Compose = fun(F, G) -> fun(X) -> F(G(X)) end end,
    Inc = fun(X) -> X + 1 end,
    Dbl = fun(X) -> X * 2 end,
    io:format("~w ~w~n", [(Compose(Inc, Dbl))(5), (Compose(Dbl, Inc))(5)]),
    Pipeline = lists:foldl(fun(F, Acc) -> Compose(F, Acc) end, fun(X) -> X end, [Inc, Dbl, Inc]),
    io:format("~w~n", [Pipeline(3)]),
    X = 100,
    Shadow = fun(X1) -> X1 + X end,
    io:format("~w~n", [Shadow(1)]),
    io:format("~w ~w~n", [is_function(Add), is_function(Add, 1)]),
    io:format("~w~n", [is_function(Add, 2)]).

make_counter(N) -> fun() -> {N, make_counter(N + 1)} end.
