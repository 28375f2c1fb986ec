-module(otp_supervisor_children).
-behaviour(supervisor).
-export([main/0, init/1, start_worker/1]).

%% Supervisor management without crashes (a crash would log a report).
main() ->
    {ok, Sup} = supervisor:start_link(?MODULE, []),
    io:format("~p~n", [ids(Sup)]),
    io:format("~p~n", [supervisor:count_children(Sup)]),
    {ok, _} = supervisor:start_child(Sup, spec(w3)),
    io:format("~p~n", [ids(Sup)]),
    {error, {already_started, Running}} = supervisor:start_child(Sup, spec(w3)),
    io:format("already started: ~p~n", [is_pid(Running)]),
    ok = supervisor:terminate_child(Sup, w1),
    io:format("~p~n", [[{Id, is_pid(P)} || {Id, P, _, _} <- lists:sort(supervisor:which_children(Sup))]]),
    {ok, _} = supervisor:restart_child(Sup, w1),
    io:format("~p~n", [[{Id, is_pid(P)} || {Id, P, _, _} <- lists:sort(supervisor:which_children(Sup))]]),
    ok = supervisor:terminate_child(Sup, w2),
    ok = supervisor:delete_child(Sup, w2),
    io:format("~p~n", [ids(Sup)]),
    io:format("~p~n", [supervisor:delete_child(Sup, nope)]),
    {ok, Spec} = supervisor:get_childspec(Sup, w3),
    io:format("~p~n", [maps:get(restart, Spec)]),
    [W1] = [P || {w1, P, _, _} <- supervisor:which_children(Sup)],
    io:format("~p~n", [gen_server:call(W1, whoami)]),
    unlink(Sup),
    Ref = monitor(process, Sup),
    exit(Sup, shutdown),
    receive {'DOWN', Ref, process, Sup, R} -> io:format("supervisor down: ~p~n", [R]) end,
    io:format("~p~n", [is_process_alive(W1)]).

ids(Sup) -> lists:sort([Id || {Id, _, _, _} <- supervisor:which_children(Sup)]).

spec(Id) ->
    #{id => Id, start => {?MODULE, start_worker, [Id]}, restart => transient, shutdown => 1000, type => worker}.

init([]) ->
    {ok, {#{strategy => one_for_one, intensity => 5, period => 10}, [spec(w1), spec(w2)]}}.

start_worker(Id) ->
    {ok, spawn_link(fun() -> worker(Id) end)}.

worker(Id) ->
    receive
        {'$gen_call', From, whoami} -> gen_server:reply(From, {i_am, Id}), worker(Id);
        _ -> worker(Id)
    end.
