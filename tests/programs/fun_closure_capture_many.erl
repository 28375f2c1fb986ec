-module(fun_closure_capture_many).
-export([main/0]).

main() ->
    [A, B, C, D, E, F, G, H, I, J, K, L, M, N, O, P, Q, R, S, T] = lists:seq(1, 20),
    Big = fun(X) -> X + A + B + C + D + E + F + G + H + I + J + K + L + M + N + O + P + Q + R + S + T end,
    io:format("~w~n", [Big(0)]),
    Tuple = {A, "str", <<"bin">>, [1, 2], #{k => v}, 1.5, 1 bsl 70},
    Cap = fun() -> Tuple end,
    io:format("~p~n", [Cap()]),
    Adders = lists:map(fun(Base) -> fun(Y) -> Base + Y end end, lists:seq(1, 1000)),
    io:format("~w~n", [lists:sum([Fn(1) || Fn <- Adders])]),
    Self = self(),
    Pid = spawn(fun() -> Self ! {result, Big(1000), Cap()} end),
    receive {result, V, T2} -> io:format("~w ~w~n", [V, T2 =:= Tuple]) end,
    _ = Pid,
    Nest = lists:foldl(fun(X, Acc) -> fun() -> X + Acc() end end, fun() -> 0 end, lists:seq(1, 100)),
    io:format("~w~n", [Nest()]).
