%% Takeuchi's function: deeply nested non-tail calls with three live
%% arguments, small-integer comparisons.
%% vs_erl iterations: 80
-module(tak).
-export([main/0, main/1]).

main() ->
    main(["1"]).

main([Count]) ->
    erlang:display(loop(list_to_integer(Count), 0)).

loop(0, Acc) ->
    Acc;
loop(I, Acc) ->
    loop(I - 1, Acc + tak(22 + I rem 3, 16, 8)).

tak(X, Y, Z) when Y < X ->
    tak(tak(X - 1, Y, Z), tak(Y - 1, Z, X), tak(Z - 1, X, Y));
tak(_, _, Z) ->
    Z.
