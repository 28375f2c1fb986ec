-module(non_tail).
-export([sum3/3]).

%% A, B and C are live across the first call; B and C across the second;
%% the third call is a tail call.
sum3(A, B, C) ->
    X = f(A),
    Y = f(B),
    Z = X + Y + C,
    g(Z, A).

f(X) -> X * 2.
g(X, Y) -> {X, Y}.
