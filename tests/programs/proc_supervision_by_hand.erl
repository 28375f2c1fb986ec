-module(proc_supervision_by_hand).
-export([main/0]).

%% A supervisor written by hand: it traps exits, restarts crashed workers up
%% to a limit, and reports what happened.
main() ->
    Self = self(),
    Sup = spawn(fun() -> supervisor_init(Self, 3) end),
    receive {started, Sup} -> ok end,
    [begin
         Sup ! {work, Job, Self},
         receive {result, Job, R} -> io:format("job ~p -> ~p~n", [Job, R]) end
     end || Job <- [{square, 4}, crash, {square, 5}, crash, crash, {square, 6}, crash]],
    Sup ! {status, Self},
    receive {status, S} -> io:format("status ~p~n", [S]) end.

supervisor_init(Parent, MaxRestarts) ->
    process_flag(trap_exit, true),
    Worker = spawn_link(fun worker/0),
    Parent ! {started, self()},
    supervise(Worker, 0, MaxRestarts, none).

supervise(Worker, Restarts, Max, Pending) ->
    receive
        {work, Job, From} ->
            Worker ! {job, Job, self()},
            supervise(Worker, Restarts, Max, {Job, From});
        {done, Job, Value} ->
            {Job, From} = Pending,
            From ! {result, Job, {ok, Value}},
            supervise(Worker, Restarts, Max, none);
        {'EXIT', Worker, Reason} when Restarts < Max ->
            {Job, From} = Pending,
            From ! {result, Job, {restarted_after, Reason}},
            supervise(spawn_link(fun worker/0), Restarts + 1, Max, none);
        {'EXIT', Worker, Reason} ->
            {Job, From} = Pending,
            From ! {result, Job, {gave_up, Reason}},
            supervise(undefined, Restarts, Max, none);
        {status, From} ->
            From ! {status, {restarts, Restarts, worker_alive, is_pid(Worker) andalso is_process_alive(Worker)}},
            supervise(Worker, Restarts, Max, Pending)
    end.

worker() ->
    receive
        {job, {square, N}, Sup} -> Sup ! {done, {square, N}, N * N}, worker();
        {job, crash, _} -> exit(worker_crashed)
    end.
