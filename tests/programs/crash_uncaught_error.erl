-module(crash_uncaught_error).
-export([main/0]).

%% main raises an error after printing: erl exits with status 1.
main() ->
    io:format("about to fail~n"),
    Items = [1, 2, 3],
    Total = lists:sum(Items),
    io:format("sum ~p~n", [Total]),
    check(Total).

check(N) when N > 100 -> ok;
check(N) -> erlang:error({too_small, N}).
