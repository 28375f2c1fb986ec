-module(float_conversions).
-export([main/0]).

main() ->
    io:format("~w~n", [list_to_float("3.25")]),
    io:format("~w~n", [list_to_float("-1.0e-3")]),
    io:format("~w~n", [list_to_float("6.02E23")]),
    io:format("~w~n", [binary_to_float(<<"2.5e2">>)]),
    io:format("~w~n", [binary_to_float(<<"0.1">>)]),
    io:format("~w~n", [float(7)]),
    io:format("~w~n", [float(-123456789012345678901234567890)]),
    io:format("~w~n", [catch_it(fun() -> list_to_float("5") end)]),
    io:format("~w~n", [catch_it(fun() -> list_to_float("1.") end)]),
    io:format("~w~n", [catch_it(fun() -> binary_to_float(<<"1e5">>) end)]),
    io:format("~w~n", [string:to_float("1.5xyz")]),
    io:format("~w~n", [string:to_float("nope")]),
    io:format("~w~n", [[trunc(X) || X <- [1.9999999999999998, 4503599627370495.5, -0.9]]]),
    io:format("~w~n", [is_float(1.0 * 1)]),
    io:format("~w~n", [1.0 * 1 =:= 1.0]),
    io:format("~w~n", [erlang:float_to_list(1.0e-320, [short])]),
    io:format("~w~n", [<<1.5/float>>]),
    io:format("~w~n", [round(1.0e20)]).

catch_it(F) -> try F() catch error:R -> {error, R} end.
