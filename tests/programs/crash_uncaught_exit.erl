-module(crash_uncaught_exit).
-export([main/0]).

%% exit/1 escaping main: erl exits with status 1.
main() ->
    io:format("working~n"),
    lists:foreach(fun(N) -> io:format("step ~w~n", [N]) end, [1, 2, 3]),
    exit({gave_up, after_step, 3}).
