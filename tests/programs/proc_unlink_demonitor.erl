-module(proc_unlink_demonitor).
-export([main/0]).

main() ->
    P = spawn_link(fun() -> receive die -> exit(dying) end end),
    unlink(P),
    P ! die,
    receive {'EXIT', P, _} -> io:format("unexpected exit message~n") after 50 -> io:format("no exit after unlink~n") end,
    Q = spawn(fun() -> receive die -> exit(dying) end end),
    M = monitor(process, Q),
    Q ! die,
    timer:sleep(20),
    io:format("~p~n", [demonitor(M, [flush])]),
    receive {'DOWN', M, _, _, _} -> io:format("DOWN not flushed~n") after 20 -> io:format("DOWN flushed~n") end,
    R = spawn(fun() -> receive _ -> ok end end),
    M2 = monitor(process, R),
    io:format("~p~n", [demonitor(M2, [info])]),
    io:format("~p~n", [demonitor(M2, [info])]),
    exit(R, kill).
