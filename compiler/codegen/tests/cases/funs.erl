%% Funs: closures with environments, higher-order functions, fun M:F/A,
%% apply, badfun and badarity.
-module(funs).
-export([main/0, twice/1]).

main() ->
    Add = fun(X) -> fun(Y) -> X + Y end end,
    Add3 = Add(3),
    erlang:display(Add3(4)),
    erlang:display(map(fun(X) -> X * X end, [1, 2, 3])),
    erlang:display(foldl(fun(X, A) -> X + A end, 0, [1, 2, 3, 4])),
    erlang:display(map(fun ?MODULE:twice/1, [5, 6])),
    erlang:display(apply(?MODULE, twice, [21])),
    M = funs, F = twice,
    erlang:display(M:F(8)),
    erlang:display(reason(catch (list_to_atom("notafun"))(1))),
    erlang:display(element(1, catch Add3(1, 2))),
    Fact = fun Self(0) -> 1; Self(N) -> N * Self(N - 1) end,
    erlang:display(Fact(20)).

twice(X) -> 2 * X.

reason({'EXIT', {R, _Stack}}) -> R.

map(_, []) -> [];
map(F, [H | T]) -> [F(H) | map(F, T)].

foldl(_, A, []) -> A;
foldl(F, A, [H | T]) -> foldl(F, F(H, A), T).
