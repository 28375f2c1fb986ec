-module(crash_after_spawned_work).
-export([main/0]).

%% Workers report back, then main crashes while other processes still live.
main() ->
    Self = self(),
    Pids = [spawn(fun() -> Self ! {done, N, N * N}, receive stop -> ok end end) || N <- lists:seq(1, 5)],
    Results = [receive {done, N, R} -> {N, R} end || N <- lists:seq(1, 5)],
    io:format("~p~n", [Results]),
    io:format("~w workers still waiting~n", [length([P || P <- Pids, is_process_alive(P)])]),
    erlang:error(deliberate_crash).
