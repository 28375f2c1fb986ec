-module(proc_link_chain).
-export([main/0]).

%% A chain of linked processes: killing one end takes down the rest, except
%% a process that traps exits.
main() ->
    Self = self(),
    Chain = build(6, []),
    Mons = [{P, monitor(process, P)} || P <- Chain],
    Tail = lists:last(Chain),
    Tail ! {trap, Self},
    receive trapping -> ok end,
    exit(hd(Chain), boom),
    Results = [receive {'DOWN', M, process, P, R} -> R after 500 -> still_alive end || {P, M} <- Mons],
    io:format("~p~n", [Results]),
    receive {tail_saw, Reason} -> io:format("tail trapped: ~p~n", [Reason]) end.

build(0, Acc) -> Acc;
build(N, []) -> build(N - 1, [spawn(fun() -> chain_node() end)]);
build(N, [Prev | _] = Acc) ->
    P = spawn(fun() -> chain_node() end),
    P ! {link_to, Prev, self()},
    receive {linked, P} -> ok end,
    build(N - 1, [P | Acc]).

chain_node() ->
    receive
        {link_to, Other, From} -> link(Other), From ! {linked, self()}, chain_node();
        {trap, Parent} ->
            process_flag(trap_exit, true),
            Parent ! trapping,
            receive {'EXIT', _, R} -> Parent ! {tail_saw, R} end
    end.
