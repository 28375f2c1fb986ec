-module(mix_rpn_calculator).
-export([main/0]).

main() ->
    Programs = ["3 4 + 2 *", "5 1 2 + 4 * + 3 -", "2 3 ^", "10 3 /", "1 2 3 4 5 sum", "4 dup *", "1 +", "2 0 /", "1 2 swap -"],
    [io:format("~-22s => ~p~n", [P, run(P)]) || P <- Programs].

run(Src) ->
    try lists:foldl(fun step/2, [], string:lexemes(Src, " ")) of
        [Result] -> {ok, Result};
        Stack -> {leftover, Stack}
    catch
        throw:Reason -> {error, Reason};
        error:badarith -> {error, arithmetic}
    end.

step("+", [B, A | S]) -> [A + B | S];
step("-", [B, A | S]) -> [A - B | S];
step("*", [B, A | S]) -> [A * B | S];
step("/", [B, A | S]) -> [A / B | S];
step("^", [B, A | S]) -> [round(math:pow(A, B)) | S];
step("dup", [A | S]) -> [A, A | S];
step("swap", [B, A | S]) -> [A, B | S];
step("sum", S) -> [lists:sum(S)];
step(Op, S) when Op =:= "+"; Op =:= "-"; Op =:= "*"; Op =:= "/" -> throw({stack_underflow, Op, S});
step(Tok, S) -> [list_to_integer(Tok) | S].
