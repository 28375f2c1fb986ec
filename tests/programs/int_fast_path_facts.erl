-module(int_fast_path_facts).
-export([main/0]).

%% Integer arithmetic whose result, or operands, are used again by later
%% arithmetic and comparisons of the same clause. A compiler may test the
%% small-integer case once and skip the tests after it; everything else
%% (bignums, floats, overflow at the small-integer limit, non-numbers)
%% must take the general way and give what erl gives.
main() ->
    Big = 1 bsl 59,
    Values = [0, 1, 2, 3, -1, 7, 1000, Big - 1, Big, Big + 1, -Big, -Big - 1,
              -Big + 1, 1 bsl 64, -(1 bsl 64), 2.5, 1.0, -0.0, 1.0e300],
    Fs = [fun step/1, fun around/1, fun square_cmp/1, fun chain/1,
          fun(X) -> mixed(X, 3) end],
    [erlang:display({V, [safe(F, V) || F <- Fs]}) || V <- Values],
    [erlang:display({fib(N), fib_float(N + 0.0)}) || N <- [0, 1, 2, 10, 20]],
    show(fun() -> step(atom) end),
    show(fun() -> around([1]) end),
    show(fun() -> chain({x}) end),
    show(fun() -> mixed(1, foo) end),
    show(fun() -> square_cmp(<<1>>) end),
    ok.

safe(F, V) ->
    try F(V) catch error:R -> {error, R} end.

show(F) ->
    try F() of
        V -> erlang:display({value, V})
    catch
        C:R:S -> erlang:display({C, R, hd(S)})
    end.

%% The result compared with a literal.
step(N) ->
    M = N - 1,
    if M < 2 -> {small, M};
       true -> {big, M + 1}
    end.

%% Operands and results used again.
around(N) ->
    A = N - 1,
    B = N + 1,
    C = A * B,
    {C > N, C - N, A < B, B - A}.

square_cmp(N) ->
    S = N * N,
    S >= 4.

chain(N) ->
    A = N + 5,
    B = A - 3,
    C = B * 2,
    D = C - N,
    {A, B, C, D, D > A}.

mixed(X, Y) ->
    S = X + Y,
    {S band 7, S bor 1, S bxor 5, S =< X}.

fib(N) when N < 2 -> N;
fib(N) -> fib(N - 1) + fib(N - 2).

fib_float(N) when N < 2 -> N;
fib_float(N) -> fib_float(N - 1) + fib_float(N - 2).
