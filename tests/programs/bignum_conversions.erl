-module(bignum_conversions).
-export([main/0]).

main() ->
    S = "-123456789012345678901234567890",
    N = list_to_integer(S),
    io:format("~w~n", [N]),
    io:format("~w~n", [binary_to_integer(<<"99999999999999999999999">>)]),
    io:format("~w~n", [list_to_integer("ff", 16)]),
    io:format("~w~n", [list_to_integer("-zz", 36)]),
    io:format("~w~n", [binary_to_integer(<<"10101010101010101010101010101010101010101010101010101010101010101">>, 2)]),
    io:format("~s~n", [integer_to_binary(N)]),
    io:format("~s~n", [integer_to_binary(255, 16)]),
    io:format("~s~n", [integer_to_list(-255, 2)]),
    io:format("~w~n", [trunc(1.0e25)]),
    io:format("~w~n", [round(-2.5e19)]),
    io:format("~w~n", [float(N)]),
    io:format("~w~n", [list_to_integer("+42")]),
    io:format("~w~n", [catch_conv(fun() -> list_to_integer("12a") end)]),
    io:format("~w~n", [catch_conv(fun() -> binary_to_integer(<<>>) end)]),
    io:format("~w~n", [catch_conv(fun() -> float(1 bsl 1100) end)]),
    io:format("~w~n", [string:to_integer("123abc")]),
    io:format("~w~n", [integer_to_list(1 bsl 64, 36)]).

catch_conv(F) ->
    try F() catch error:R -> {error, R} end.
