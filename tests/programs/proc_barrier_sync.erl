-module(proc_barrier_sync).
-export([main/0]).

%% Workers proceed in rounds; nobody starts round N+1 before all finish N.
main() ->
    Self = self(),
    N = 5,
    Barrier = spawn(fun() -> barrier(N, [], 0, Self) end),
    [spawn(fun() -> worker(I, Barrier, 3) end) || I <- lists:seq(1, N)],
    Rounds = [receive {round_done, R, Ws} -> {R, lists:sort(Ws)} end || _ <- lists:seq(1, 3)],
    [io:format("round ~p: ~p~n", [R, Ws]) || {R, Ws} <- Rounds].

barrier(N, Waiting, Round, Main) when length(Waiting) =:= N ->
    Main ! {round_done, Round, [I || {I, _} <- Waiting]},
    [P ! go || {_, P} <- Waiting],
    barrier(N, [], Round + 1, Main);
barrier(N, Waiting, Round, Main) ->
    receive {arrive, I, P} -> barrier(N, [{I, P} | Waiting], Round, Main) end.

worker(_, _, 0) -> ok;
worker(I, Barrier, Left) ->
    Barrier ! {arrive, I, self()},
    receive go -> worker(I, Barrier, Left - 1) end.
