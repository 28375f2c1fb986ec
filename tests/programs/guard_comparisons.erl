-module(guard_comparisons).
-export([main/0]).

main() ->
    Pairs = [{1, 1}, {1, 1.0}, {1, 2}, {a, a}, {a, b}, {"a", "a"}, {[1], [1.0]}, {{1}, {1.0}},
             {#{a => 1}, #{a => 1.0}}, {<<1>>, <<1>>}, {0.0, -0.0}],
    lists:foreach(
        fun({A, B}) ->
            io:format("~w ~w: ~w~n", [A, B, [eq(A, B), exact(A, B), ne(A, B), nexact(A, B), lt(A, B), ge(A, B)]])
        end,
        Pairs
    ).

eq(A, B) when A == B -> '==';
eq(_, _) -> '_'.
exact(A, B) when A =:= B -> '=:=';
exact(_, _) -> '_'.
ne(A, B) when A /= B -> '/=';
ne(_, _) -> '_'.
nexact(A, B) when A =/= B -> '=/=';
nexact(_, _) -> '_'.
lt(A, B) when A < B -> '<';
lt(_, _) -> '_'.
ge(A, B) when A >= B -> '>=';
ge(_, _) -> '_'.
