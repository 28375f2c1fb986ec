-module(proc_process_info).
-export([main/0]).

main() ->
    Self = self(),
    io:format("~p~n", [is_process_alive(Self)]),
    [Self ! {msg, N} || N <- lists:seq(1, 4)],
    io:format("~p~n", [process_info(Self, message_queue_len)]),
    {messages, Ms} = process_info(Self, messages),
    io:format("~p~n", [Ms]),
    io:format("~p~n", [process_info(Self, trap_exit)]),
    P = spawn(fun() -> receive _ -> ok end end),
    io:format("~p~n", [process_info(P, status) =/= undefined]),
    exit(P, kill),
    timer:sleep(10),
    io:format("~p~n", [process_info(P, status)]),
    io:format("~p~n", [is_process_alive(P)]),
    io:format("~p~n", [process_info(Self, registered_name)]),
    register(info_test, Self),
    io:format("~p~n", [process_info(Self, registered_name)]),
    unregister(info_test),
    put(k, v),
    {dictionary, D} = process_info(Self, dictionary),
    io:format("~p~n", [lists:keyfind(k, 1, D)]),
    flush().

flush() -> receive _ -> flush() after 0 -> ok end.
