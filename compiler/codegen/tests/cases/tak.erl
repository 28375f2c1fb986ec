%% Takeuchi's function: deep non-tail recursion with three arguments.
-module(tak).
-export([main/0]).

main() ->
    erlang:display(tak(18, 12, 6)),
    erlang:display(tak(24, 16, 8)).

tak(X, Y, Z) when Y < X ->
    tak(tak(X - 1, Y, Z), tak(Y - 1, Z, X), tak(Z - 1, X, Y));
tak(_, _, Z) -> Z.
