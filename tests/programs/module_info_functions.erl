-module(module_info_functions).
-export([main/0, b/1]).

%% module_info(functions): the module's own functions in order, then the
%% functions erlc made for funs and comprehensions, the last made first,
%% each with its free variables counted in its arity.
main() ->
    F = fun(Y) -> a(Y) end,
    H = fun() -> ok end,
    L = [Z || Z <- [1, 2], Z > 1],
    B = << <<X>> || <<X>> <= <<1, 2>> >>,
    N = fun(P) -> fun(Q) -> P + Q end end,
    R = self() ! go,
    W = wait(),
    erlang:display(?MODULE:module_info(functions)),
    erlang:display(?MODULE:module_info(exports)),
    erlang:display({F([1]), H(), L, B, (N(1))(2), R, W, app([1], [2]), length(b([x]))}).

a(X) -> G = fun(Z) -> Z + 1 end, [G(Y) || Y <- X].

b(Q) -> [fun() -> Q end || _ <- Q].

app([H | T], L) -> [H | app(T, L)];
app([], L) -> L.

wait() ->
    receive
        go -> try_it()
    end.

try_it() ->
    try erlang:error(x) catch error:E -> {caught, E} end.
