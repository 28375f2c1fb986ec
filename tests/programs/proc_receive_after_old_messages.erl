%% `receive after T` (no clauses) and receives that match nothing, with
%% messages already in the mailbox: they wait out their timeouts, leave the
%% messages where they are, and a later receive still finds them in order.
-module(proc_receive_after_old_messages).
-export([main/0]).

main() ->
    self() ! {msg, 1},
    self() ! {msg, 2},
    %% Look at the mailbox once, so both messages are in the queue.
    io:format("~p~n", [element(2, process_info(self(), message_queue_len))]),
    receive after 20 -> ok end,
    io:format("slept~n"),
    R = receive nomatch -> matched after 20 -> timed_out end,
    io:format("~p~n", [R]),
    Self = self(),
    spawn(fun() -> receive after 10 -> Self ! late end end),
    receive late -> io:format("late arrived~n") end,
    io:format("~p~n", [flush([])]).

flush(Acc) ->
    receive M -> flush([M | Acc]) after 0 -> lists:reverse(Acc) end.
