-module(small_int_fast_paths).
-export([main/0]).

%% Comparisons and arithmetic whose operands are small integers on one way
%% and bignums or floats on another: code after a comparison that found two
%% small integers skips their tests, and must not skip them where the
%% comparison found anything else. Values sit at the edges of the small
%% integer range, where one step more makes a bignum.
main() ->
    Max = 1 bsl 59 - 1,
    Min = -(1 bsl 59),
    Args = [{18, 12, 6}, {10, 9, 8}, {3.0, 2, 1}, {5, 2.5, 1},
            {Max, Max - 1, Max - 2}, {Min + 2, Min + 1, Min},
            {Max + 2, Max + 1, Max}, {Min + 1, Min, Min - 1},
            {Max, 0, Min}, {Min, 0, Max}, {1 bsl 70, 3, 2},
            {7, 1 bsl 64, 5}],
    [erlang:display({A, step(A)}) || A <- Args],
    [erlang:display({A, nested(A)}) || A <- Args],
    erlang:display(tak(18, 12, 6)),
    erlang:display(tak(12.0, 8, 4)),
    erlang:display(tak(Max - 10, Max - 14, Max - 20)),
    erlang:display(tak(Min + 10, Min + 6, Min)),
    ok.

%% The first comparison's operands are used again after it, in arithmetic
%% and in a second comparison, on both of its ways.
step({X, Y, Z}) when Y < X ->
    D = X - 1,
    E = Y - 1,
    F = Z + 1,
    if E < D -> {lt, D, E, F, X + Y, Y * 2};
       true -> {ge, D, E, F, X - Z}
    end;
step({X, Y, Z}) ->
    {other, X + 1, Y - 1, Z * 3}.

%% A value tested small before a call, used after it returns.
nested({X, Y, Z}) when X < Y ->
    R = id(Z),
    {a, X - 1, Y + 1, R - 1};
nested({X, Y, Z}) ->
    R = id(X),
    {b, Y - 1, Z + 1, R + 1, X - Y}.

id(V) -> V.

tak(X, Y, Z) when Y < X ->
    tak(tak(X - 1, Y, Z), tak(Y - 1, Z, X), tak(Z - 1, X, Y));
tak(_, _, Z) ->
    Z.
