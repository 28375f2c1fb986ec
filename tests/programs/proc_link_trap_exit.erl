-module(proc_link_trap_exit).
-export([main/0]).

%% main traps exits (as under erl -eval): a linked process's death arrives
%% as a message.
main() ->
    io:format("~p~n", [process_flag(trap_exit, true)]),
    P1 = spawn_link(fun() -> exit(custom_reason) end),
    receive {'EXIT', P1, R1} -> io:format("exit: ~p~n", [R1]) end,
    P2 = spawn_link(fun() -> ok end),
    receive {'EXIT', P2, R2} -> io:format("exit: ~p~n", [R2]) end,
    P3 = spawn_link(fun() -> receive never -> ok end end),
    exit(P3, kill),
    receive {'EXIT', P3, R3} -> io:format("exit: ~p~n", [R3]) end,
    P4 = spawn(fun() -> receive go -> exit(later) end end),
    link(P4),
    P4 ! go,
    receive {'EXIT', P4, R4} -> io:format("exit: ~p~n", [R4]) end,
    P5 = spawn(fun() -> ok end),
    timer:sleep(10),
    io:format("~p~n", [try link(P5) of true -> linked_to_dead_gives_message catch error:E -> E end]),
    receive {'EXIT', P5, R5} -> io:format("exit: ~p~n", [R5]) after 100 -> io:format("no message~n") end.
