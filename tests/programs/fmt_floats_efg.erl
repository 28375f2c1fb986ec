-module(fmt_floats_efg).
-export([main/0]).

main() ->
    Fs = [0.0, 1.0, -1.5, 3.14159265, 1.0e-5, 123456.789, 1.0e20, 0.000123, 2.5, 0.05, 99.995],
    lists:foreach(
        fun(F) ->
            io:format("~f | ~e | ~g | ~.2f | ~.3e | ~.4g | ~12.3f|~n", [F, F, F, F, F, F, F])
        end,
        Fs
    ),
    io:format("~.1f ~.1f ~.1f~n", [0.25, 0.35, 2.45]),
    io:format("~.1f ~.1f~n", [0.05, 0.15]),
    io:format("~f~n", [1 bsl 70 + 0.0]),
    io:format("~.10f~n", [1 / 3]),
    io:format("~e~n", [1.0e300]),
    io:format("~g ~g~n", [1.0e-10, 1.0e10]).
