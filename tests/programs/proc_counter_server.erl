-module(proc_counter_server).
-export([main/0]).

%% A hand-written server with synchronous calls and state.
main() ->
    S = start(),
    [cast(S, {add, N}) || N <- lists:seq(1, 10)],
    io:format("~p~n", [call(S, get)]),
    io:format("~p~n", [call(S, {mul, 3})]),
    io:format("~p~n", [call(S, history_length)]),
    io:format("~p~n", [call(S, reset)]),
    io:format("~p~n", [call(S, get)]),
    io:format("~p~n", [call(S, stop)]),
    io:format("~p~n", [call(S, get)]).

start() -> spawn(fun() -> loop(0, []) end).

cast(S, Msg) -> S ! {cast, Msg}, ok.

call(S, Msg) ->
    Ref = monitor(process, S),
    S ! {call, self(), Ref, Msg},
    receive
        {Ref, Reply} -> demonitor(Ref, [flush]), Reply;
        {'DOWN', Ref, process, S, Reason} -> {server_down, Reason}
    end.

loop(N, Hist) ->
    receive
        {cast, {add, X}} -> loop(N + X, [{add, X} | Hist]);
        {call, From, Ref, get} -> From ! {Ref, N}, loop(N, Hist);
        {call, From, Ref, {mul, X}} -> From ! {Ref, N * X}, loop(N * X, [{mul, X} | Hist]);
        {call, From, Ref, history_length} -> From ! {Ref, length(Hist)}, loop(N, Hist);
        {call, From, Ref, reset} -> From ! {Ref, {was, N}}, loop(0, []);
        {call, From, Ref, stop} -> From ! {Ref, stopping}
    end.
