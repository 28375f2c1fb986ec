-module(exc_catch_expression).
-export([main/0]).

main() ->
    io:format("~p~n", [catch 1 + 1]),
    io:format("~p~n", [catch throw(thrown_value)]),
    io:format("~p~n", [reason(catch erlang:error(custom))]),
    io:format("~p~n", [catch exit(exit_value)]),
    io:format("~p~n", [reason(catch list_to_atom(42))]),
    io:format("~p~n", [reason(catch hd([]))]),
    X = (catch {ok, 5}),
    io:format("~p~n", [X]),
    Results = [catch risky(N) || N <- [1, 2, 3, 4]],
    io:format("~p~n", [[reason(R) || R <- Results]]).

risky(1) -> fine;
risky(2) -> throw(two);
risky(3) -> exit(three);
risky(4) -> error(four).

reason({'EXIT', {R, Stack}}) when is_list(Stack) -> {'EXIT', R};
reason(Other) -> Other.
