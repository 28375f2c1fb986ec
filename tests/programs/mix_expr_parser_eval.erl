-module(mix_expr_parser_eval).
-export([main/0]).

%% Tokenize, parse (precedence climbing) and evaluate arithmetic.
main() ->
    Exprs = ["1 + 2 * 3", "(1 + 2) * 3", "2 ^ 3 ^ 2", "100 / 7", "-(4 - 10) * 2", "x * x + y",
             "10 - 3 - 2", "2 * (3 + (4 - 1)) ^ 2"],
    Env = #{"x" => 7, "y" => 1},
    lists:foreach(
        fun(S) ->
            Ast = parse(tokens(S)),
            io:format("~s => ~p => ~p~n", [S, Ast, eval(Ast, Env)])
        end,
        Exprs
    ).

tokens([]) -> [];
tokens([$\s | T]) -> tokens(T);
tokens([C | T]) when C >= $0, C =< $9 ->
    {Digits, Rest} = lists:splitwith(fun(D) -> D >= $0 andalso D =< $9 end, [C | T]),
    [{num, list_to_integer(Digits)} | tokens(Rest)];
tokens([C | T]) when C >= $a, C =< $z ->
    {Name, Rest} = lists:splitwith(fun(D) -> D >= $a andalso D =< $z end, [C | T]),
    [{var, Name} | tokens(Rest)];
tokens([C | T]) -> [{op, C} | tokens(T)].

parse(Toks) ->
    {Ast, []} = expr(Toks, 0),
    Ast.

expr(Toks, MinPrec) ->
    {Lhs, Rest} = primary(Toks),
    climb(Lhs, Rest, MinPrec).

climb(Lhs, [{op, Op} | Rest] = Toks, MinPrec) ->
    case prec(Op) of
        {P, Assoc} when P >= MinPrec ->
            Next = case Assoc of left -> P + 1; right -> P end,
            {Rhs, Rest2} = expr(Rest, Next),
            climb({Op, Lhs, Rhs}, Rest2, MinPrec);
        _ -> {Lhs, Toks}
    end;
climb(Lhs, Toks, _) -> {Lhs, Toks}.

primary([{num, N} | T]) -> {N, T};
primary([{var, V} | T]) -> {{var, V}, T};
primary([{op, $-} | T]) -> {E, R} = primary(T), {{neg, E}, R};
primary([{op, $(} | T]) ->
    {E, [{op, $)} | R]} = expr(T, 0),
    {E, R}.

prec($+) -> {1, left};
prec($-) -> {1, left};
prec($*) -> {2, left};
prec($/) -> {2, left};
prec($^) -> {3, right};
prec(_) -> none.

eval(N, _) when is_number(N) -> N;
eval({var, V}, Env) -> maps:get(V, Env);
eval({neg, E}, Env) -> -eval(E, Env);
eval({$+, A, B}, Env) -> eval(A, Env) + eval(B, Env);
eval({$-, A, B}, Env) -> eval(A, Env) - eval(B, Env);
eval({$*, A, B}, Env) -> eval(A, Env) * eval(B, Env);
eval({$/, A, B}, Env) -> eval(A, Env) / eval(B, Env);
eval({$^, A, B}, Env) -> pow(eval(A, Env), eval(B, Env)).

pow(_, 0) -> 1;
pow(X, N) -> X * pow(X, N - 1).
