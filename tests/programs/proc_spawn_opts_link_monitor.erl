-module(proc_spawn_opts_link_monitor).
-export([main/0]).

main() ->
    {P, M} = spawn_opt(fun() -> exit(with_opts) end, [monitor]),
    receive {'DOWN', M, process, P, R} -> io:format("~p~n", [R]) end,
    Q = spawn_opt(fun() -> exit(linked_opts) end, [link]),
    receive {'EXIT', Q, R2} -> io:format("~p~n", [R2]) end,
    {Z, M3} = spawn_opt(fun() -> receive after 10 -> exit(both) end end, [link, monitor]),
    Got = lists:sort([receive {'DOWN', M3, process, Z, R3} -> {down, R3} end,
                      receive {'EXIT', Z, R4} -> {exit, R4} end]),
    io:format("~p~n", [Got]),
    {W, MW} = spawn_monitor(erlang, exit, [by_mfa]),
    receive {'DOWN', MW, process, W, Reason} -> io:format("~p~n", [Reason]) end.
