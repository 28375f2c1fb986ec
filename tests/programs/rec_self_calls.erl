-module(rec_self_calls).
-export([main/0]).

%% Functions that call themselves (not in tail position) in the ways a
%% compiler may special-case: results combined after several self-calls,
%% self-calls mixed with calls of other functions, deep recursion that runs
%% out of reductions and collects on the way, exceptions raised deep inside
%% and caught at some level, stack traces from inside, a receive inside.
main() ->
    erlang:display(fib(20)),
    erlang:display(tak(18, 12, 6)),
    erlang:display(length(build(300000))),
    erlang:display(sum_tree(tree(16))),
    erlang:display(mixed(10)),
    erlang:display(catch_at(200000, 1000)),
    erlang:display(catch_at(50, 49)),
    erlang:display(try deep_error(5) catch error:R -> R end),
    erlang:display(try deep_throw(100000) catch throw:T -> T end),
    erlang:display(ackermann(2, 300)),
    erlang:display(even(100001)),
    Self = self(),
    [Self ! {n, I} || I <- lists:seq(1, 50)],
    erlang:display(collect(50)),
    erlang:display(floats(18, 0.5)),
    erlang:display(bigs(80)),
    ok.

fib(N) when N < 2 -> N;
fib(N) -> fib(N - 1) + fib(N - 2).

tak(X, Y, Z) when Y < X -> tak(tak(X - 1, Y, Z), tak(Y - 1, Z, X), tak(Z - 1, X, Y));
tak(_, _, Z) -> Z.

build(0) -> [];
build(N) -> [{N, [N]} | build(N - 1)].

tree(0) -> leaf;
tree(D) -> {node, D, tree(D - 1), tree(D - 1)}.

sum_tree(leaf) -> 1;
sum_tree({node, D, L, R}) -> D + sum_tree(L) + sum_tree(R).

mixed(0) -> [];
mixed(N) ->
    A = helper(N),
    B = mixed(N - 1),
    C = helper(length(B)),
    [A + C | B].

helper(X) -> X * 2.

%% Raises at depth D; the try at depth K catches it and goes on.
catch_at(D, K) -> catch_at(0, D, K).
catch_at(I, D, _K) when I =:= D -> erlang:error({bottom, I});
catch_at(I, D, K) when I =:= K ->
    try catch_at(I + 1, D, K) of
        V -> {no_error, V}
    catch
        error:{bottom, B} -> {caught_at, I, B}
    end;
catch_at(I, D, K) ->
    case catch_at(I + 1, D, K) of
        {caught_at, _, _} = R -> R;
        Other -> {wrapped, Other}
    end.

deep_error(0) -> 1 / zero();
deep_error(N) -> 1 + deep_error(N - 1).

zero() -> 0.

deep_throw(0) -> throw(bottom);
deep_throw(N) -> [N | deep_throw(N - 1)].

ackermann(0, N) -> N + 1;
ackermann(M, 0) -> ackermann(M - 1, 1);
ackermann(M, N) -> ackermann(M - 1, ackermann(M, N - 1)).

even(0) -> true;
even(N) -> not odd(N - 1).
odd(0) -> true;
odd(N) -> not even(N - 1).

collect(0) -> [];
collect(N) ->
    receive {n, I} -> [I | collect(N - 1)] end.

floats(0, X) -> X;
floats(N, X) -> floats(N - 1, X * 1.5) - floats(N - 1, X) / 2.0.

bigs(0) -> 1;
bigs(N) -> N * bigs(N - 1) + 1.
