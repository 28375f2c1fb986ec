-module(proc_timer_send_after).
-export([main/0]).

main() ->
    erlang:send_after(30, self(), second),
    erlang:send_after(10, self(), first),
    io:format("~p~n", [[receive M -> M end || _ <- [1, 2]]]),
    Ref = erlang:start_timer(10, self(), payload),
    receive {timeout, Ref, P} -> io:format("timer fired with ~p~n", [P]) end,
    T = erlang:send_after(1000, self(), never_arrives),
    Left = erlang:cancel_timer(T),
    io:format("cancelled with time left: ~p~n", [is_integer(Left) andalso Left > 0]),
    receive never_arrives -> io:format("oops~n") after 50 -> io:format("nothing arrived~n") end,
    io:format("~p~n", [erlang:cancel_timer(T)]),
    {ok, _} = timer:send_after(5, self(), via_timer_module),
    receive via_timer_module -> io:format("timer module works~n") end,
    Start = erlang:monotonic_time(millisecond),
    timer:sleep(20),
    io:format("slept at least 20 ms: ~p~n", [erlang:monotonic_time(millisecond) - Start >= 20]).
