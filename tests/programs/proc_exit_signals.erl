-module(proc_exit_signals).
-export([main/0]).

%% Exit signals to processes that do and do not trap exits.
main() ->
    Self = self(),
    Plain = spawn(fun() -> receive _ -> Self ! {plain, still_alive} end end),
    exit(Plain, normal),
    Plain ! ping,
    receive {plain, S} -> io:format("normal signal ignored: ~p~n", [S]) end,
    Victim = spawn(fun() -> receive _ -> ok end end),
    Ref = monitor(process, Victim),
    exit(Victim, some_reason),
    receive {'DOWN', Ref, _, _, R} -> io:format("killed by signal: ~p~n", [R]) end,
    Trapper = spawn(fun() ->
        process_flag(trap_exit, true),
        Self ! ready,
        loop_trapper(Self, 3)
    end),
    receive ready -> ok end,
    TRef = monitor(process, Trapper),
    exit(Trapper, normal),
    exit(Trapper, custom),
    Trapped = [receive {trapped, R1} -> R1 end || _ <- [1, 2]],
    io:format("trapper saw: ~p~n", [Trapped]),
    exit(Trapper, kill),
    receive {'DOWN', TRef, _, _, TR} -> io:format("trapper down: ~p~n", [TR]) end.

loop_trapper(_, 0) -> ok;
loop_trapper(Parent, N) ->
    receive
        {'EXIT', _, Reason} -> Parent ! {trapped, Reason}, loop_trapper(Parent, N - 1)
    end.
