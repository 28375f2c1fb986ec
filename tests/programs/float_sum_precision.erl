-module(float_sum_precision).
-export([main/0]).

main() ->
    Xs = [0.1 || _ <- lists:seq(1, 10)],
    io:format("~p~n", [lists:sum(Xs)]),
    io:format("~p~n", [kahan(Xs)]),
    io:format("~p~n", [lists:foldl(fun(X, A) -> A + X end, 0.0, [1.0e16, 1.0, -1.0e16])]),
    io:format("~p~n", [kahan([1.0e16, 1.0, -1.0e16])]),
    io:format("~p~n", [lists:sum([1 / N || N <- lists:seq(1, 1000)])]),
    io:format("~p~n", [math:sqrt(lists:sum([X * X || X <- [3.0, 4.0, 12.0]]))]),
    Mean = lists:sum(lists:seq(1, 10)) / 10,
    Var = lists:sum([(X - Mean) * (X - Mean) || X <- lists:seq(1, 10)]) / 10,
    io:format("~p ~p ~p~n", [Mean, Var, math:sqrt(Var)]),
    io:format("~p~n", [[X / 7 || X <- lists:seq(1, 7)]]).

kahan(Xs) -> kahan(Xs, 0.0, 0.0).
kahan([], Sum, _) -> Sum;
kahan([X | T], Sum, C) ->
    Y = X - C,
    S = Sum + Y,
    kahan(T, S, (S - Sum) - Y).
