-module(guard_function_arity).
-export([main/0]).

main() ->
    Fs = [fun() -> zero end, fun(X) -> {one, X} end, fun(X, Y) -> {two, X, Y} end,
          fun lists:reverse/1, fun erlang:'+'/2, not_fun],
    [io:format("~p~n", [call_any(F)]) || F <- Fs].

call_any(F) when is_function(F, 0) -> F();
call_any(F) when is_function(F, 1) -> F([a, b]);
call_any(F) when is_function(F, 2) -> F(1, 2);
call_any(F) when is_function(F) -> {other_arity, element(2, erlang:fun_info(F, arity))};
call_any(X) -> {not_a_function, X}.
