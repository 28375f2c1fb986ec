-module(closure).
-export([adder/2]).

%% The fun captures A and B: its function takes X then the environment.
adder(A, B) ->
    F = fun(X) -> X + A + B end,
    F.
