-module(bignum_compare_mixed).
-export([main/0]).

main() ->
    Big = 1 bsl 70,
    F = 1.0e21,
    io:format("~w ~w ~w~n", [Big < F, Big > 1.0e20, Big == float(Big)]),
    io:format("~w ~w~n", [Big =:= float(Big), 1 bsl 53 == 9007199254740992.0]),
    io:format("~w~n", [(1 bsl 53) + 1 == 9007199254740992.0]),
    io:format("~w~n", [lists:sort([Big, F, 1.0e20, -Big, 0, 0.5, -1.0e30])]),
    io:format("~w ~w~n", [max(Big, F), min(-Big, -1.0e22)]),
    io:format("~w~n", [1 == 1.0]),
    io:format("~w~n", [1 =:= 1.0]),
    io:format("~w~n", [lists:usort([1, 1.0, 2, 2.0])]),
    io:format("~w~n", [lists:sort([2.0, 1, 2, 1.0])]),
    io:format("~w~n", [Big * 1.0]),
    io:format("~w~n", [Big + 0.5]),
    io:format("~w~n", [(1 bsl 1023) * 1.5]),
    io:format("~w~n", [erlang:float((1 bsl 1023) + (1 bsl 1000))]).
