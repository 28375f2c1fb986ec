-module(exc_throw_nonlocal).
-export([main/0]).

%% throw as an early exit from a deep traversal.
main() ->
    Tree = {node, {node, {leaf, 3}, {leaf, 7}}, {node, {leaf, 42}, {node, {leaf, 9}, {leaf, 42}}}},
    io:format("~p~n", [find_first(fun(V) -> V > 5 end, Tree)]),
    io:format("~p~n", [find_first(fun(V) -> V > 100 end, Tree)]),
    io:format("~p~n", [find_first(fun(V) -> V =:= 42 end, Tree)]),
    io:format("~p~n", [product([1, 2, 3, 0 | lists:seq(1, 100000)])]),
    io:format("~p~n", [validate([{name, "x"}, {age, 30}, {email, "e"}])]),
    io:format("~p~n", [validate([{name, "x"}, {age, -1}, {email, "e"}])]).

find_first(Pred, Tree) ->
    try walk(Pred, Tree, 0) of
        _ -> not_found
    catch
        throw:{found, V, Visited} -> {found, V, after_visiting, Visited}
    end.

walk(Pred, {leaf, V}, N) ->
    case Pred(V) of
        true -> throw({found, V, N + 1});
        false -> N + 1
    end;
walk(Pred, {node, L, R}, N) -> walk(Pred, R, walk(Pred, L, N)).

product(L) ->
    try lists:foldl(fun(0, _) -> throw(zero); (X, Acc) -> X * Acc end, 1, L)
    catch throw:zero -> 0
    end.

validate(Fields) ->
    try
        lists:foreach(fun check/1, Fields),
        valid
    catch
        throw:{invalid, F} -> {invalid, F}
    end.

check({age, A}) when A < 0 -> throw({invalid, age});
check(_) -> ok.
