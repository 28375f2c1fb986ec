-module(exc_error_with_args).
-export([main/0]).

main() ->
    try only_positive(-5)
    catch error:function_clause:StackM ->
        [{M, F, Args, _} | _] = StackM,
        io:format("function_clause in ~p:~p with ~p~n", [M, F, Args])
    end,
    try two_args(a, b)
    catch error:function_clause:StackM2 ->
        [{M2, F2, Args2, _} | _] = StackM2,
        io:format("function_clause in ~p:~p with ~p~n", [M2, F2, Args2])
    end,
    try checked(1, 2)
    catch error:{bad_input, _}:StackM3 ->
        [{M3, F3, Args3, _} | _] = StackM3,
        io:format("error/2 frame ~p:~p ~p~n", [M3, F3, Args3])
    end,
    try erlang:error(plain_error, none)
    catch error:plain_error:StackM4 ->
        [{M4, F4, A4, _} | _] = StackM4,
        io:format("error/2 with none: ~p:~p ~p~n", [M4, F4, A4])
    end.

only_positive(N) when N > 0 -> N.

two_args(X, Y) when is_integer(X), is_integer(Y) -> X + Y.

checked(A, B) -> erlang:error({bad_input, A}, [A, B]).
