-module(exc_try_after_order).
-export([main/0]).

main() ->
    io:format("result ~p~n", [with_after(fun() -> io:format("body~n"), value end)]),
    io:format("result ~p~n", [catch_outer(fun() -> io:format("body~n"), throw(t) end)]),
    io:format("result ~p~n", [catch_outer(fun() -> io:format("body~n"), error(e) end)]),
    io:format("result ~p~n", [nested_afters()]),
    io:format("result ~p~n", [after_value_ignored()]),
    io:format("result ~p~n", [catch_outer(fun() -> try error(first) after io:format("after1~n") end end)]).

with_after(F) ->
    try F()
    after
        io:format("after~n")
    end.

catch_outer(F) ->
    try with_after(F)
    catch
        C:R -> {caught, C, R}
    end.

nested_afters() ->
    try
        try
            try throw(deep)
            after io:format("after inner~n")
            end
        after io:format("after middle~n")
        end
    catch
        throw:deep -> io:format("handler~n"), handled
    after
        io:format("after outer~n")
    end.

after_value_ignored() ->
    try 1
    after 2
    end.
