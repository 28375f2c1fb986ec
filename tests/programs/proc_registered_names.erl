-module(proc_registered_names).
-export([main/0]).

main() ->
    Self = self(),
    Pid = spawn(fun() -> server() end),
    true = register(my_server, Pid),
    io:format("~p~n", [whereis(my_server) =:= Pid]),
    my_server ! {Self, hello},
    receive {reply, R} -> io:format("~p~n", [R]) end,
    io:format("~p~n", [lists:member(my_server, registered())]),
    io:format("~p~n", [try register(my_server, self()) catch error:E -> E end]),
    io:format("~p~n", [try register(undefined, self()) catch error:E2 -> E2 end]),
    io:format("~p~n", [try no_such_name ! hi catch error:E3 -> E3 end]),
    io:format("~p~n", [erlang:process_info(Pid, registered_name)]),
    true = unregister(my_server),
    io:format("~p~n", [whereis(my_server)]),
    register(main_proc, self()),
    main_proc ! via_name,
    receive via_name -> io:format("got message sent to my name~n") end,
    Ref = monitor(process, Pid),
    Pid ! stop,
    receive {'DOWN', Ref, _, _, _} -> ok end,
    register(reused, spawn(fun() -> receive _ -> ok end end)),
    io:format("~p~n", [is_pid(whereis(reused))]),
    exit(whereis(reused), kill),
    timer:sleep(10),
    io:format("~p~n", [whereis(reused)]),
    unregister(main_proc).

server() ->
    receive
        {From, Msg} -> From ! {reply, {echo, Msg}}, server();
        stop -> ok
    end.
