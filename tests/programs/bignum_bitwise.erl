-module(bignum_bitwise).
-export([main/0]).

main() ->
    A = (1 bsl 100) + 12345,
    B = (1 bsl 90) - 1,
    io:format("~w~n~w~n~w~n", [A band B, A bor B, A bxor B]),
    io:format("~w~n", [bnot A]),
    io:format("~w~n", [-A band B]),
    io:format("~w~n", [-A bor 255]),
    io:format("~w~n", [-A bxor -B]),
    io:format("~w ~w~n", [A bsr 95, A bsl 10]),
    io:format("~w ~w~n", [-A bsr 95, -1 bsr 200]),
    io:format("~w~n", [1 bsl 200 bsr 199]),
    io:format("~w~n", [255 bsl -4]),
    io:format("~w~n", [bnot 0]),
    io:format("~w~n", [bnot -1]),
    io:format("~w~n", [popcount(A, 0)]),
    io:format("~w~n", [(1 bsl 63) band (1 bsl 63)]).

popcount(0, N) -> N;
popcount(X, N) -> popcount(X bsr 1, N + (X band 1)).
