-module(inline_trivial_clauses).
-export([main/0]).

%% Functions that call themselves more than once and have clauses that
%% only return a value (a parameter, a pattern variable or a literal): a
%% compiler may select those clauses at the call site instead of calling.
%% Whatever it does, clause order, guards, patterns, exceptions and the
%% function they are raised in (with its arguments) must stay those of
%% the call.
main() ->
    erlang:display(fib(22)),
    erlang:display(tak(18, 12, 6)),
    erlang:display(count(tree(10))),
    erlang:display(leaves(tree(6))),
    erlang:display(size_of([1, [2, 3], {4, [5, 6]}, [], 7, [[[8]]]])),
    erlang:display(ordered(9, 3)),
    erlang:display(ordered(3, 9)),
    erlang:display(literal(5)),
    erlang:display(heads([[[d, e], f], [c]])),
    erlang:display(float_guard(10.0)),
    erlang:display(float_guard(10)),
    erlang:display(exact(6)),
    erlang:display(exact(6.0)),
    %% Arguments are evaluated once, in order, before any clause is chosen.
    erlang:display(fib(noisy(10))),
    erlang:display(fib(noisy(1))),
    %% The callee raises: its own frame is in the trace.
    show(fun() -> fib(a) end),
    show(fun() -> fib([1]) end),
    show(fun() -> fib(2.5) end),
    show(fun() -> 1 + fib(nonumber) end),
    show(fun() -> count(not_a_tree) end),
    show(fun() -> count({node, {leaf}, bad}) end),
    show(fun() -> heads([x, [a]]) end),
    show(fun() -> strict(3) end),
    show(fun() -> strict(1) end),
    show(fun() -> strict(nope) end),
    %% An argument raises before the call.
    show(fun() -> fib(1 div zero()) end),
    %% Calls inside try, catch, comprehensions and funs.
    erlang:display(try fib(15) of V -> {ok, V} catch _:_ -> caught end),
    erlang:display(element(1, catch fib(x))),
    erlang:display([fib(I) || I <- lists:seq(0, 12)]),
    erlang:display(lists:map(fun(I) -> tak(I, 2, 1) end, [1, 2, 3, 4, 5])),
    %% Deep enough to be preempted and to collect on the way.
    erlang:display(count(tree(17))),
    ok.

show(F) ->
    try F() of
        V -> erlang:display({value, V})
    catch
        C:R:S -> erlang:display({C, R, hd(S)})
    end.

zero() -> 0.

noisy(N) ->
    erlang:display({evaluating, N}),
    N.

fib(N) when N < 2 -> N;
fib(N) -> fib(N - 1) + fib(N - 2).

tak(X, Y, Z) when Y < X -> tak(tak(X - 1, Y, Z), tak(Y - 1, Z, X), tak(Z - 1, X, Y));
tak(_, _, Z) -> Z.

tree(0) -> {leaf};
tree(D) -> {node, tree(D - 1), tree(D - 1)}.

%% A tuple pattern selects the trivial clause; no catch-all.
count({leaf}) -> 1;
count({node, L, R}) -> count(L) + count(R) + 1.

%% A trivial clause returning a literal after a non-trivial one.
leaves({node, L, R}) -> [leaves(L) | leaves(R)];
leaves(_) -> x.

%% Type tests in guards; list and literal patterns.
size_of(X) when is_integer(X) -> X;
size_of([]) -> 0;
size_of([H | T]) -> size_of(H) + size_of(T);
size_of(T) when is_tuple(T) -> size_of(tuple_to_list(T)) + 100.

%% A non-trivial clause first, whose guard overlaps the trivial one.
ordered(X, Y) when X > Y -> ordered(X - 1, Y) + ordered(X - 2, Y);
ordered(_, Y) -> Y.

literal(0) -> zero;
literal(1) -> one;
literal(N) -> {literal(N - 1), literal(N - 2)}.

%% The trivial clause returns a pattern variable bound inside a cons.
heads([[H | _] | _]) when is_atom(H) -> H;
heads([L | T]) when is_list(L) -> {heads(L), heads(T)};
heads([]) -> nil.

float_guard(X) when X == 10 -> equal;
float_guard(X) -> {float_guard(X - 1), float_guard(X - 2)}.

exact(X) when X =:= 6 -> six;
exact(X) when X < 3 -> small;
exact(X) -> [exact(X - 1), exact(X - 2)].

%% No clause for some arguments: function_clause from the callee.
strict(0) -> zero;
strict(N) when is_integer(N), N > 1 -> {strict(N - 2), strict(N - 2)}.
