-module(crash_throw_from_fun).
-export([main/0]).

%% A throw from inside a higher-order call escapes main.
main() ->
    Results = lists:map(fun(X) -> io:format("item ~w~n", [X]), check(X) end, [1, 2, 3, 4]),
    io:format("~p~n", [Results]).

check(3) -> throw({rejected, 3});
check(X) -> X * 2.
