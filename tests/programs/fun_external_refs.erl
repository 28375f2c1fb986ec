-module(fun_external_refs).
-export([main/0, triple/1]).

main() ->
    F = fun lists:reverse/1,
    io:format("~w~n", [F([1, 2, 3])]),
    G = fun ?MODULE:triple/1,
    io:format("~w~n", [lists:map(G, [1, 2, 3])]),
    io:format("~w~n", [lists:map(fun triple/1, [4, 5])]),
    io:format("~p~n", [F]),
    io:format("~p~n", [G]),
    io:format("~p~n", [erlang:fun_info(F, arity)]),
    io:format("~p~n", [erlang:fun_info(F, module)]),
    io:format("~p~n", [erlang:fun_info(F, name)]),
    io:format("~p~n", [erlang:fun_info(F, type)]),
    io:format("~w~n", [apply(lists, seq, [1, 4])]),
    io:format("~w~n", [apply(F, [[a, b]])]),
    M = lists,
    Fn = max,
    io:format("~w~n", [M:Fn([3, 9, 2])]),
    io:format("~w~n", [erlang:apply(?MODULE, triple, [7])]),
    H = fun erlang:'+'/2,
    io:format("~w~n", [lists:foldl(H, 0, [1, 2, 3])]),
    io:format("~w~n", [F =:= fun lists:reverse/1]),
    io:format("~p~n", [try apply(nonexistent_module_xyz, f, []) catch error:R -> R end]),
    io:format("~p~n", [try apply(lists, no_such_function, [1]) catch error:R2 -> R2 end]).

triple(X) -> 3 * X.
