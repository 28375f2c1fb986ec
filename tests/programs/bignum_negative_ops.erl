-module(bignum_negative_ops).
-export([main/0]).

main() ->
    N = -(1 bsl 100) - 7,
    io:format("~w~n", [N]),
    io:format("~w ~w~n", [N div 1000000007, N rem 1000000007]),
    io:format("~w ~w~n", [N div -3, N rem -3]),
    io:format("~w~n", [N * N]),
    io:format("~w~n", [N * -1]),
    io:format("~w~n", [abs(N)]),
    io:format("~w~n", [N + (1 bsl 100)]),
    io:format("~w~n", [N band 16#FFFF]),
    io:format("~w~n", [N bsr 64]),
    io:format("~w~n", [N bsl 3]),
    io:format("~w~n", [-N =:= abs(N)]),
    io:format("~w~n", [integer_to_list(N, 16)]),
    io:format("~w~n", [float(N)]),
    io:format("~w~n", [N < -(1 bsl 99)]),
    io:format("~w~n", [lists:sort([N, 0, -N, 1 bsl 64, -(1 bsl 64)])]).
