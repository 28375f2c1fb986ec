-module(proc_monitor_down).
-export([main/0]).

main() ->
    {P1, M1} = spawn_monitor(fun() -> exit(went_away) end),
    receive {'DOWN', M1, process, P1, R1} -> io:format("down: ~p~n", [R1]) end,
    P2 = spawn(fun() -> receive stop -> ok end end),
    M2 = monitor(process, P2),
    P2 ! stop,
    receive {'DOWN', M2, process, P2, R2} -> io:format("down: ~p~n", [R2]) end,
    M3 = monitor(process, P2),
    receive {'DOWN', M3, process, P2, R3} -> io:format("down after death: ~p~n", [R3]) end,
    P4 = spawn(fun() -> receive _ -> ok end end),
    M4 = monitor(process, P4),
    io:format("~p~n", [demonitor(M4)]),
    exit(P4, kill),
    receive {'DOWN', M4, _, _, _} -> io:format("unexpected~n") after 50 -> io:format("no DOWN after demonitor~n") end,
    M5 = monitor(process, no_such_registered_name),
    receive {'DOWN', M5, process, Who, R5} -> io:format("down: ~p ~p~n", [Who, R5]) end,
    Ms = [begin {_, M} = spawn_monitor(fun() -> exit({n, N}) end), M end || N <- lists:seq(1, 5)],
    io:format("~p~n", [lists:sort([receive {'DOWN', M, process, _, R} -> R end || M <- Ms])]),
    {P6, M6} = spawn_monitor(fun() -> exit({crashed, [1, 2]}) end),
    receive {'DOWN', M6, process, P6, Reason} -> io:format("exit: ~p~n", [Reason]) end.
