-module(fun_arity_errors).
-export([main/0]).

main() ->
    F = fun(X, Y) -> X + Y end,
    io:format("~p~n", [attempt(fun() -> F(1) end)]),
    io:format("~p~n", [attempt(fun() -> (id(not_a_fun))(1) end)]),
    io:format("~p~n", [attempt(fun() -> apply(F, [1, 2, 3]) end)]),
    io:format("~p~n", [attempt(fun() -> F(1, 2) end)]),
    io:format("~p~n", [attempt(fun() -> lists:map(fun(A, B) -> A + B end, [1]) end)]),
    io:format("~p~n", [attempt(fun() -> (fun(0) -> zero end)(1) end)]).

id(X) -> X.

attempt(F) ->
    try F() of
        V -> {ok, V}
    catch
        error:{badarity, {Fun, Args}} when is_function(Fun) -> {badarity, Args};
        error:{badfun, Bad} -> {badfun, Bad};
        Class:Reason -> {Class, Reason}
    end.
