-module(bignum_pow_print).
-export([main/0]).

main() ->
    P = pow(2, 300),
    io:format("~p~n", [P]),
    io:format("~s~n", [integer_to_list(P, 16)]),
    io:format("~s~n", [integer_to_list(pow(3, 100), 36)]),
    io:format("~s~n", [integer_to_list(-pow(7, 50), 2)]),
    io:format("~w~n", [pow(10, 40) - 1]),
    io:format("~w~n", [-pow(10, 40)]),
    io:format("~w~n", [length(integer_to_list(pow(2, 10000)))]),
    io:format("~B ~.16B ~.36B~n", [pow(2, 70), pow(2, 70), pow(2, 70)]),
    io:format("~p~n", [[pow(2, N) || N <- [62, 63, 64, 65]]]).

pow(_, 0) -> 1;
pow(B, E) when E rem 2 =:= 0 -> H = pow(B, E div 2), H * H;
pow(B, E) -> B * pow(B, E - 1).
