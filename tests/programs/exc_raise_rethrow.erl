-module(exc_raise_rethrow).
-export([main/0]).

main() ->
    io:format("~p~n", [outer(fun() -> error(original) end)]),
    io:format("~p~n", [outer(fun() -> throw(thrown) end)]),
    io:format("~p~n", [outer(fun() -> exit(exited) end)]),
    io:format("~p~n", [try erlang:raise(throw, direct, []) catch C:R -> {C, R} end]),
    io:format("~p~n", [try erlang:raise(bad_class, x, []) catch C2:R2 -> {C2, R2} end]),
    io:format("~p~n", [try wrap() catch error:{wrapped, Inner} -> {unwrapped, Inner} end]).

outer(F) ->
    try middle(F)
    catch
        Class:Reason:Stack -> {outer_saw, Class, Reason, own_frames(Stack)}
    end.

middle(F) ->
    try F()
    catch
        Class:Reason:Stack ->
            io:format("middle saw ~p:~p, rethrowing~n", [Class, Reason]),
            erlang:raise(Class, Reason, Stack)
    end.

wrap() ->
    try error(inner_reason)
    catch error:R -> error({wrapped, R})
    end.

own_frames(Stack) -> [{F, A} || {M, F, A, _} <- Stack, M =:= ?MODULE].
