-module(fun_higher_order_lib).
-export([main/0]).

main() ->
    io:format("~w~n", [my_map(fun(X) -> X * X end, lists:seq(1, 8))]),
    io:format("~w~n", [my_filter(fun(X) -> X rem 2 =:= 1 end, lists:seq(1, 8))]),
    io:format("~w~n", [my_foldl(fun(X, A) -> A * X end, 1, lists:seq(1, 10))]),
    io:format("~w~n", [unfold(fun(N) when N > 100 -> done; (N) -> {N, N * 2} end, 1)]),
    io:format("~w~n", [iterate(fun(X) -> X * 3 end, 1, 6)]),
    io:format("~w~n", [zip_with(fun erlang:max/2, [1, 5, 3], [4, 2, 6])]),
    Curry = curry(fun(A, B, C) -> A * 100 + B * 10 + C end),
    io:format("~w~n", [((Curry(1))(2))(3)]),
    Memo = memo_fib(40, #{}),
    io:format("~w~n", [element(1, Memo)]),
    io:format("~w~n", [group_by(fun(X) -> X rem 3 end, lists:seq(1, 10))]).

my_map(_, []) -> [];
my_map(F, [H | T]) -> [F(H) | my_map(F, T)].

my_filter(P, L) -> [X || X <- L, P(X)].

my_foldl(_, Acc, []) -> Acc;
my_foldl(F, Acc, [H | T]) -> my_foldl(F, F(H, Acc), T).

unfold(F, Seed) ->
    case F(Seed) of
        done -> [];
        {V, Next} -> [V | unfold(F, Next)]
    end.

iterate(_, _, 0) -> [];
iterate(F, X, N) -> [X | iterate(F, F(X), N - 1)].

zip_with(F, [A | As], [B | Bs]) -> [F(A, B) | zip_with(F, As, Bs)];
zip_with(_, _, _) -> [].

curry(F) -> fun(A) -> fun(B) -> fun(C) -> F(A, B, C) end end end.

memo_fib(N, Memo) when N < 2 -> {N, Memo};
memo_fib(N, Memo) ->
    case Memo of
        #{N := V} -> {V, Memo};
        _ ->
            {A, M1} = memo_fib(N - 1, Memo),
            {B, M2} = memo_fib(N - 2, M1),
            {A + B, M2#{N => A + B}}
    end.

group_by(F, L) ->
    lists:foldr(fun(X, Acc) -> K = F(X), maps:update_with(K, fun(V) -> [X | V] end, [X], Acc) end, #{}, L).
