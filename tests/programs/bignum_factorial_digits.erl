-module(bignum_factorial_digits).
-export([main/0]).

main() ->
    F = lists:foldl(fun(X, A) -> X * A end, 1, lists:seq(1, 1000)),
    Digits = integer_to_list(F),
    io:format("1000! has ~w digits, digit sum ~w~n", [length(Digits), lists:sum([D - $0 || D <- Digits])]),
    io:format("trailing zeros ~w~n", [trailing_zeros(F, 0)]),
    io:format("first 50 digits ~s~n", [lists:sublist(Digits, 50)]),
    Fib = fib(5000),
    io:format("fib(5000) mod 10^20 = ~w~n", [Fib rem 100000000000000000000]),
    io:format("~w~n", [F div fact(998)]),
    io:format("~w~n", [integer_to_list(F, 36) =:= integer_to_list(F, 36)]),
    io:format("~w~n", [list_to_integer(Digits) =:= F]).

trailing_zeros(N, Z) when N rem 10 =:= 0 -> trailing_zeros(N div 10, Z + 1);
trailing_zeros(_, Z) -> Z.

fact(0) -> 1;
fact(N) -> N * fact(N - 1).

fib(N) -> fib(N, 0, 1).
fib(0, A, _) -> A;
fib(N, A, B) -> fib(N - 1, B, A + B).
