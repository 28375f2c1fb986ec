-module(float_print_shortest).
-export([main/0]).

%% ~p and ~w print the shortest digits that read back as the same float.
main() ->
    Fs = [0.0, -0.0, 1.0, -1.0, 0.1, 0.2, 0.1 + 0.2, 1 / 3, 2 / 3, 100.0, 123.456,
          1.0e10, 1.0e15, 1.0e16, 1.0e22, 1.0e23, 1.0e-5, 0.0001, 0.001, 1.5e-7,
          5.0e-324, 2.2250738585072014e-308, 1.7976931348623157e308,
          9007199254740992.0, 9007199254740993.0, 1234567890123456.0, 123456789012345678.0,
          3.141592653589793, 2.718281828459045, 1.0e100, 6.02214076e23, -273.15,
          0.5, 0.25, 0.125, 1.0e-10, 99.99, 4.35, 0.3, 1.0e21, 1.0e20, 12345.0e-3],
    lists:foreach(fun(F) -> io:format("~p ~w~n", [F, F]) end, Fs),
    io:format("~p~n", [Fs]),
    io:format("~w~n", [[float(N) || N <- lists:seq(1, 12)]]),
    io:format("~w~n", [[math:pow(10, E) || E <- lists:seq(-6, 17)]]).
