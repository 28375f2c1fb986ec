-module(exc_constant_args).
-export([main/0]).

%% erlc knows which constants a local function's parameters can hold (from
%% every call in the module), and which each call passes. A call that
%% cannot return for what it passes keeps no frame, so the caller is not in
%% the stack trace. Calls that can return keep theirs, and their results.
main() ->
    show(fun() -> t() end),
    show(fun() -> u(x) end),
    show(fun() -> v() end),
    show(fun() -> w([a]) end),
    show(fun() -> both(a) end),
    show(fun() -> both(c) end),
    show(fun() -> shapes({1, 2}) end),
    show(fun() -> shapes("str") end),
    show(fun() -> shapes(<<"bin">>) end),
    show(fun() -> floats(1.0) end),
    show(fun() -> truth(true) end),
    show(fun() -> truth(false) end),
    show(fun() -> through(7) end),
    show(fun() -> looped(3) end),
    erlang:display([sel(a), sel(b), sel(1), sel([]), sel([x]), sel({y})]),
    ok.

show(F) ->
    erlang:display(try F() catch C:R:S -> {C, R, [Fr || Fr <- S, keep(Fr)]} end).

%% What lies below main/0 depends on how the program was started.
keep({M, _, _, _}) -> M =:= ?MODULE orelse M =:= erlang.

t() -> 1 + s2(7).
s2(0) -> 0.

u(A) -> 1 + s3(A).
s3(y) -> 0.

%% Called with a (returns) and b (cannot).
v() -> X = 1 + s4(a), X + s4(b).
s4(a) -> 1;
s4(c) -> 2.

w(L) -> 1 + s5(L).
s5([]) -> 0.

%% The same function with an argument that matches and one that does not.
both(X) -> 1 + s6(X).
s6(a) -> 10.

%% Type tests against literals.
shapes(X) -> 1 + s7(X).
s7({A, B}) -> A + B;
s7([_ | _]) -> erlang:error(not_here);
s7(B) when is_binary(B) -> byte_size(B).

%% A float never matches an integer pattern.
floats(F) -> 1 + s8(F).
s8(1) -> one.

truth(B) -> 1 + s9(B).
s9(true) -> 1.

%% Through another function's parameter.
through(N) -> 1 + pass(N).
pass(N) -> s10(N).
s10(0) -> 0.

%% A loop over constants.
looped(N) -> 1 + count(N, a).
count(0, done) -> 0;
count(N, a) when N > 0 -> count(N - 1, a).

sel(a) -> 1;
sel(b) -> 2;
sel(X) when is_integer(X) -> 3;
sel([]) -> 4;
sel([_ | _]) -> 5;
sel({_}) -> 6.
