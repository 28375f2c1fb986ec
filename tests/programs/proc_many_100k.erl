-module(proc_many_100k).
-export([main/0]).

%% A hundred thousand processes, each alive at once, each reporting back.
main() ->
    N = 100000,
    Self = self(),
    Pids = [spawn(fun() -> receive {go, X} -> Self ! {result, X * 2} end end) || _ <- lists:seq(1, N)],
    io:format("spawned ~w~n", [length(Pids)]),
    lists:foldl(fun(P, I) -> P ! {go, I}, I + 1 end, 1, Pids),
    Sum = collect(N, 0),
    io:format("sum ~w~n", [Sum]),
    io:format("expected ~w~n", [N * (N + 1)]).

collect(0, Acc) -> Acc;
collect(N, Acc) ->
    receive {result, V} -> collect(N - 1, Acc + V) end.
