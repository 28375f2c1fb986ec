-module(proc_group_leader_output).
-export([main/0]).

%% Spawned processes print through the group leader they inherit; each
%% waits its turn so the order is fixed.
main() ->
    Self = self(),
    Leader = group_leader(),
    Workers = [spawn(fun() -> receive go -> io:format("worker ~w speaking~n", [N]), Self ! {done, N, group_leader() =:= Leader} end end)
               || N <- lists:seq(1, 5)],
    lists:foreach(fun({N, W}) -> W ! go, receive {done, N, Same} -> io:format("same leader: ~p~n", [Same]) end end, lists:zip(lists:seq(1, 5), Workers)),
    io:format("main done~n").
