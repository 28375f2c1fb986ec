-module(proc_ring_messages).
-export([main/0]).

%% A ring of processes passes a counter around several times.
main() ->
    N = 1000,
    Laps = 20,
    Self = self(),
    First = spawn(fun() -> receive {next, Next} -> ring_node(Next, Self) end end),
    Last = lists:foldl(fun(_, Next) -> spawn(fun() -> ring_node(Next, Self) end) end, First, lists:seq(2, N)),
    First ! {next, Last},
    First ! {token, 0, N * Laps},
    receive
        {done, Count} -> io:format("token passed ~w times~n", [Count])
    end,
    First ! {stop, 1, N},
    receive {stopped, Hops} -> io:format("stop passed through ~w processes~n", [Hops]) end.

ring_node(Next, Main) ->
    receive
        {token, Limit, Limit} -> Main ! {done, Limit}, ring_node(Next, Main);
        {token, Count, Limit} -> Next ! {token, Count + 1, Limit}, ring_node(Next, Main);
        {stop, N, N} -> Main ! {stopped, N};
        {stop, Hops, N} -> Next ! {stop, Hops + 1, N}
    end.
