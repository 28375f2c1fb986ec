%% Mandelbrot set escape counts over a grid: float multiplication,
%% addition and comparison in a tight loop, plus a float accumulator.
%% vs_erl iterations: 60
-module(mandel).
-export([main/0, main/1]).

-define(SIZE, 64).
-define(MAX_ITER, 200).

main() ->
    main(["1"]).

main([Count]) ->
    erlang:display(loop(list_to_integer(Count), 0, 0.0)).

loop(0, Escapes, Sum) ->
    {Escapes, Sum};
loop(I, Escapes, Sum) ->
    {E, S} = rows(0, 0, 0.0),
    loop(I - 1, Escapes + E, Sum + S * 1.0e-6).

rows(?SIZE, Escapes, Sum) ->
    {Escapes, Sum};
rows(Y, Escapes, Sum) ->
    Ci = Y * (2.0 / ?SIZE) - 1.0,
    {E, S} = cols(0, Ci, Escapes, Sum),
    rows(Y + 1, E, S).

cols(?SIZE, _Ci, Escapes, Sum) ->
    {Escapes, Sum};
cols(X, Ci, Escapes, Sum) ->
    Cr = X * (3.0 / ?SIZE) - 2.0,
    {N, Zr} = iterate(0, 0.0, 0.0, Cr, Ci),
    cols(X + 1, Ci, Escapes + N, Sum + Zr).

iterate(?MAX_ITER, Zr, _Zi, _Cr, _Ci) ->
    {?MAX_ITER, Zr};
iterate(N, Zr, Zi, Cr, Ci) ->
    Zr2 = Zr * Zr,
    Zi2 = Zi * Zi,
    if
        Zr2 + Zi2 > 4.0 ->
            {N, Zr};
        true ->
            iterate(N + 1, Zr2 - Zi2 + Cr, 2.0 * Zr * Zi + Ci, Cr, Ci)
    end.
