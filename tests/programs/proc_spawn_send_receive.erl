-module(proc_spawn_send_receive).
-export([main/0]).

main() ->
    Self = self(),
    Pong = spawn(fun() -> pong_loop() end),
    [begin Pong ! {ping, Self, N}, receive {pong, N} -> io:format("pong ~w~n", [N]) end end || N <- lists:seq(1, 5)],
    Pong ! stop,
    Echo = spawn(fun() -> receive {From, Msg} -> From ! {echo, Msg} end end),
    Echo ! {Self, {complex, [1, 2, 3], <<"bin">>, #{k => v}}},
    receive {echo, M} -> io:format("~p~n", [M]) end,
    io:format("~w~n", [is_pid(Pong)]),
    Self ! to_myself,
    receive to_myself -> io:format("got my own message~n") end.

pong_loop() ->
    receive
        {ping, From, N} -> From ! {pong, N}, pong_loop();
        stop -> ok
    end.
