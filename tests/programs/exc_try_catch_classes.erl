-module(exc_try_catch_classes).
-export([main/0]).

main() ->
    Cases = [fun() -> throw(ball) end,
             fun() -> erlang:error(oops) end,
             fun() -> exit(bye) end,
             fun() -> exit(normal) end,
             fun() -> throw({complex, [1, 2], #{k => v}}) end,
             fun() -> erlang:error({badthing, 42}) end,
             fun() -> 1 / zero() end,
             fun() -> ok end],
    lists:foreach(fun(F) -> io:format("~p~n", [run(F)]) end, Cases),
    io:format("~p~n", [try throw(x) catch x -> caught_throw_without_class end]),
    io:format("~p~n", [try exit(e) catch exit:E -> {exit_only, E} end]),
    io:format("~p~n", [nested()]).

run(F) ->
    try F() of
        Value -> {returned, Value}
    catch
        throw:T -> {thrown, T};
        error:E -> {error, E};
        exit:X -> {exited, X}
    end.

zero() -> 0.

nested() ->
    try
        try throw(inner)
        catch error:_ -> wrong_clause
        end
    catch
        throw:inner -> outer_caught_inner
    end.
