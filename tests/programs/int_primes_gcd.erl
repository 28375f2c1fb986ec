-module(int_primes_gcd).
-export([main/0]).

main() ->
    Primes = sieve(lists:seq(2, 200)),
    io:format("~w~n", [Primes]),
    io:format("count below 10000: ~w~n", [length(sieve2(10000))]),
    io:format("~w~n", [[gcd(A, B) || {A, B} <- [{12, 18}, {17, 5}, {0, 9}, {1071, 462}]]]),
    io:format("~w~n", [lcm_list(lists:seq(1, 20))]),
    io:format("~w~n", [factorize(600851475143)]),
    io:format("~w~n", [factorize(1 bsl 40 + 1)]),
    io:format("~w~n", [modpow(3, 1000, 1000000007)]).

sieve([]) -> [];
sieve([P | T]) -> [P | sieve([X || X <- T, X rem P =/= 0])].

sieve2(N) -> sieve2(lists:seq(2, N), []).
sieve2([], Acc) -> lists:reverse(Acc);
sieve2([P | T], Acc) when P * P > 10000 -> lists:reverse(Acc, [P | T]);
sieve2([P | T], Acc) -> sieve2([X || X <- T, X rem P =/= 0], [P | Acc]).

gcd(A, 0) -> A;
gcd(A, B) -> gcd(B, A rem B).

lcm_list(L) -> lists:foldl(fun(X, Acc) -> Acc * X div gcd(Acc, X) end, 1, L).

factorize(N) -> factorize(N, 2, []).
factorize(1, _, Acc) -> lists:reverse(Acc);
factorize(N, D, Acc) when D * D > N -> lists:reverse([N | Acc]);
factorize(N, D, Acc) when N rem D =:= 0 -> factorize(N div D, D, [D | Acc]);
factorize(N, D, Acc) -> factorize(N, D + 1, Acc).

modpow(_, 0, _) -> 1;
modpow(B, E, M) when E rem 2 =:= 0 -> H = modpow(B, E div 2, M), H * H rem M;
modpow(B, E, M) -> B * modpow(B, E - 1, M) rem M.
