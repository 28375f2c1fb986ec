-module(otp_lists_stdlib_misc).
-export([main/0]).

main() ->
    io:format("~p~n", [lists:sum(lists:seq(1, 100))]),
    io:format("~p~n", [lists:max([3, 1, 4]) + lists:min([3, 1, 4])]),
    io:format("~p~n", [lists:search(fun(X) -> X > 2 end, [1, 2, 3, 4])]),
    io:format("~p~n", [lists:keysearch(b, 1, [{a, 1}, {b, 2}])]),
    io:format("~p~n", [lists:nthtail(2, [a, b, c, d])]),
    io:format("~p~n", [lists:sublist([1, 2, 3], 5)]),
    io:format("~p~n", [lists:reverse([1, 2, 3], [9])]),
    io:format("~p~n", [lists:append([a], [b])]),
    io:format("~p~n", [lists:usort(fun(A, B) -> A >= B end, [1, 3, 2, 3])]),
    io:format("~p~n", [lists:foldl(fun(X, A) -> [X | A] end, [], "abc")]),
    io:format("~p~n", [string:split("2024-01-15", "-", all)]),
    io:format("~p~n", [[list_to_integer(P) || P <- string:split("2024-01-15", "-", all)]]),
    io:format("~p~n", [io_lib:format("~5.2f|~-6s|~3..0w", [3.14159, "ab", 7])]),
    io:format("~p~n", [lists:flatten(io_lib:format("~p", [{a, "b"}]))]),
    io:format("~p~n", [erl_scan:string("X = 1 + 2.")]),
    {ok, Tokens, _} = erl_scan:string("foo(1, [a, b]) + 2."),
    {ok, [Expr]} = erl_parse:parse_exprs(Tokens),
    io:format("~p~n", [Expr]),
    {ok, T2, _} = erl_scan:string("lists:sum([1, 2, 3]) * 2."),
    {ok, Es} = erl_parse:parse_exprs(T2),
    {value, V, _} = erl_eval:exprs(Es, []),
    io:format("~p~n", [V]).
