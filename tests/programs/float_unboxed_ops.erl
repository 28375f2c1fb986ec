-module(float_unboxed_ops).
-export([main/0]).

%% Float arithmetic on values known to be floats (parameters of local
%% functions every caller passes a float, literals, results of float
%% operations), whose intermediate results need not be boxed: chains of
%% operations, results kept across calls and in data structures, guards
%% with float arithmetic, comparisons with integer literals, overflow in
%% a body and in a guard, negative zero, and collections in the middle.
main() ->
    X = list_to_float("1.5"),
    erlang:display(poly(X, 0.25)),
    erlang:display(keep(X, 0.5)),
    erlang:display(in_guard(X, 2.0)),
    erlang:display(in_guard(X, 1.0e200)),
    erlang:display(in_guard(list_to_float("-1.0"), 1.0e200)),
    erlang:display(cmp_ints(X)),
    erlang:display(cmp_ints(list_to_float("3.0"))),
    erlang:display(neg_zero(list_to_float("0.0"))),
    erlang:display(try overflow(list_to_float("1.0e200")) catch C:R:S -> {C, R, hd(S)} end),
    erlang:display(try divide(X, list_to_float("0.0")) catch C2:R2:S2 -> {C2, R2, hd(S2)} end),
    erlang:display(length(garbage(X, 20000, []))),
    erlang:display(lists:sum(garbage(X, 100, []))),
    erlang:display(sum_squares(1.0, 0.0)),
    erlang:display(mixed_literals(X)),
    erlang:display(nested(X, 0.75, 10)),
    ok.

poly(X, Y) ->
    A = X * X,
    B = Y * Y,
    C = A - B + 3.0 * X * Y,
    D = C / (A + B),
    {A + B, D * 2.0 - 1}.

keep(X, Y) ->
    A = X * Y + 1.0,
    B = A * A,
    erlang:display(A),
    C = B - A,
    [A, B, C, id(C * 2.0)].

id(Z) -> Z.

in_guard(X, Y) ->
    if
        X * Y + X * X > 4.0 -> big;
        X * Y * Y * Y < 1.0 -> overflow_is_false;
        true -> small
    end.

cmp_ints(X) ->
    {X < 2, X > 2, X =< 3, X >= 3, X * 2.0 < 4, X * 2.0 >= 6}.

neg_zero(Z) ->
    N = Z * -1.0,
    {N, N + 0.0, N - 0.0, 0.0 - N, N * N, -1.0 * N}.

overflow(X) ->
    Y = X * X,
    Y + 1.0.

divide(X, Y) ->
    X / Y + 1.0.

%% Boxes floats into a long list while temporaries stay unboxed: the
%% collections in between must keep both.
garbage(_X, 0, Acc) -> Acc;
garbage(X, N, Acc) ->
    T = X * 2.0,
    U = T * T - X,
    garbage(X + 0.5, N - 1, [U / T | Acc]).

sum_squares(I, Acc) when I > 100.0 -> Acc;
sum_squares(I, Acc) -> sum_squares(I + 1.0, Acc + I * I).

mixed_literals(X) ->
    {X * 2, 2 * X, X + 1, 1 - X, X / 2, 10 / X, X - 3}.

nested(X, _Y, 0) -> X;
nested(X, Y, N) ->
    Z = X * Y + Y * Y,
    nested(Z - Y / 2.0, Y, N - 1).
