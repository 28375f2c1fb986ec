-module(exc_bif_error_frames).
-export([main/0]).

%% Some failing BIFs appear as the top frame with their arguments; an
%% arithmetic error on a non-number does not get a frame of its own.
main() ->
    top(fun() -> element(5, {1}) end),
    top(fun() -> 10 div id(0) end),
    top(fun() -> id(a) + 1 end),
    top(fun() -> atom_to_list(id(42)) end),
    top(fun() -> binary_to_list(id(nope)) end),
    top(fun() -> tuple_size(id([])) end),
    top(fun() -> list_to_integer(id("x1")) end),
    top(fun() -> lists:nth(id(5), [1]) end),
    top(fun() -> (id(fun() -> ok end))(1) end).

top(F) ->
    try F()
    catch
        Class:Reason:Stack ->
            [{M, Fn, ArgsOrArity, _} | _] = Stack,
            Shown = case ArgsOrArity of
                        N when is_integer(N) -> {arity, N};
                        Args -> {args, [A || A <- Args, not is_function(A)]}
                    end,
            io:format("~p ~p at ~p:~p ~p~n", [Class, short(Reason), M, fname(Fn), Shown])
    end.

%% Names of funs are compiler-generated; print only that it is one.
fname(F) ->
    case atom_to_list(F) of
        "-" ++ _ -> anonymous_fun;
        _ -> F
    end.

short({badarity, _}) -> badarity;
short(R) -> R.

id(X) -> X.
