-module(list_flatten_append).
-export([main/0]).

main() ->
    Deep = [1, [2, [3, [4, [5]]]], [], [[6]]],
    io:format("~w~n", [lists:flatten(Deep)]),
    io:format("~w~n", [lists:flatten(Deep, [tail])]),
    io:format("~w~n", [lists:append([[1], [2, 3], [], [4]])]),
    io:format("~w~n", [lists:append("ab", "cd")]),
    io:format("~p~n", [lists:concat([foo, "_", 42, '_', 1.5])]),
    io:format("~w~n", [flat(Deep)]),
    io:format("~w~n", [lists:flatlength(Deep)]),
    io:format("~s~n", [lists:flatten(io_lib:format("~w-~w", [1, 2]))]),
    Big = lists:foldl(fun(X, Acc) -> [Acc, X] end, [], lists:seq(1, 10000)),
    io:format("~w~n", [length(lists:flatten(Big))]).

flat([]) -> [];
flat([H | T]) when is_list(H) -> flat(H) ++ flat(T);
flat([H | T]) -> [H | flat(T)].
