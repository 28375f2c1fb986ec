-module(otp_supervisor_restart_silenced).
-behaviour(supervisor).
-export([main/0, init/1, start_worker/0]).

%% A supervisor restarting a crashed child; the crash reports logger would
%% print (with pids and times) are switched off first.
main() ->
    logger:set_primary_config(level, none),
    {ok, Sup} = supervisor:start_link(?MODULE, []),
    Pids = [begin
                [P] = [C || {worker, C, _, _} <- supervisor:which_children(Sup)],
                Ref = monitor(process, P),
                P ! crash,
                receive {'DOWN', Ref, process, P, R} -> io:format("worker died: ~p~n", [R]) end,
                wait_restart(Sup, P),
                P
            end || _ <- lists:seq(1, 3)],
    io:format("distinct pids: ~p~n", [length(lists:usort(Pids))]),
    io:format("~p~n", [supervisor:count_children(Sup)]),
    unlink(Sup),
    Ref = monitor(process, Sup),
    [P] = [C || {worker, C, _, _} <- supervisor:which_children(Sup)],
    %% A fourth crash within the period exceeds the intensity of 3.
    P ! crash,
    receive {'DOWN', Ref, process, Sup, Reason} -> io:format("supervisor gave up: ~p~n", [Reason]) end.

wait_restart(Sup, Old) ->
    case [C || {worker, C, _, _} <- supervisor:which_children(Sup)] of
        [New] when is_pid(New), New =/= Old -> ok;
        _ -> timer:sleep(1), wait_restart(Sup, Old)
    end.

init([]) ->
    Child = #{id => worker, start => {?MODULE, start_worker, []}, restart => permanent},
    {ok, {#{strategy => one_for_one, intensity => 3, period => 60}, [Child]}}.

start_worker() ->
    {ok, spawn_link(fun() -> receive crash -> exit(crashed_on_purpose) end end)}.
