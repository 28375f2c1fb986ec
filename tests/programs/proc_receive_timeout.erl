-module(proc_receive_timeout).
-export([main/0]).

main() ->
    io:format("~p~n", [receive never -> got after 0 -> immediate_timeout end]),
    io:format("~p~n", [receive never -> got after 30 -> short_timeout end]),
    Self = self(),
    spawn(fun() -> timer:sleep(20), Self ! late end),
    io:format("~p~n", [receive late -> arrived_in_time after 2000 -> too_slow end]),
    spawn(fun() -> timer:sleep(200), Self ! very_late end),
    io:format("~p~n", [receive very_late -> arrived after 10 -> gave_up end]),
    io:format("~p~n", [receive very_late -> finally_arrived after 2000 -> lost end]),
    T = 5,
    io:format("~p~n", [receive after T -> variable_timeout end]),
    io:format("~p~n", [try receive after -1 -> x end catch error:R -> R end]),
    io:format("~p~n", [wait_for(3, [])]).

wait_for(0, Acc) -> lists:reverse(Acc);
wait_for(N, Acc) ->
    self() ! {tick, N},
    receive {tick, N} -> wait_for(N - 1, [N | Acc]) after 100 -> timeout end.
