-module(rec_fib_tail).
-export([main/0]).

main() ->
    io:format("naive fib 0..20: ~w~n", [[fib(N) || N <- lists:seq(0, 20)]]),
    io:format("fib(90) = ~w~n", [fib_iter(90)]),
    io:format("fib(300) = ~w~n", [fib_iter(300)]),
    io:format("agree: ~w~n", [[fib(N) || N <- lists:seq(0, 20)] =:= [fib_iter(N) || N <- lists:seq(0, 20)]]).

fib(0) -> 0;
fib(1) -> 1;
fib(N) -> fib(N - 1) + fib(N - 2).

fib_iter(N) -> fib_iter(N, 0, 1).
fib_iter(0, A, _) -> A;
fib_iter(N, A, B) -> fib_iter(N - 1, B, A + B).
