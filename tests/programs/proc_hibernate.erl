%% erlang:hibernate/3: the process drops its stack, sleeps until a message
%% comes, then continues in the given function with the message still in
%% its mailbox; the caller's frames are gone (a catch around the call no
%% longer applies).
-module(proc_hibernate).
-export([main/0, wake/2]).

main() ->
    Self = self(),
    P = spawn(fun() -> start(Self) end),
    receive {ready, P} -> ok end,
    timer:sleep(20),
    io:format("~p~n", [element(2, process_info(P, status))]),
    P ! {hello, 1},
    receive {woke, P, Msg, N} -> io:format("woke with ~p and ~p~n", [Msg, N]) end,
    P ! {hello, 2},
    receive {woke, P, Msg2, N2} -> io:format("woke with ~p and ~p~n", [Msg2, N2]) end,
    Ref = monitor(process, P),
    P ! stop,
    receive {'DOWN', Ref, process, P, Why} -> io:format("down: ~p~n", [Why]) end.

start(Parent) ->
    Parent ! {ready, self()},
    catch erlang:hibernate(?MODULE, wake, [Parent, 1]),
    io:format("never here~n").

wake(Parent, N) ->
    receive
        stop -> exit(stopped);
        M -> Parent ! {woke, self(), M, N}
    end,
    erlang:hibernate(?MODULE, wake, [Parent, N + 1]).
