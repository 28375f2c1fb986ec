-module(proc_statistics).
-export([main/0]).

%% erlang:statistics/1: the shapes of the answers and what must hold of
%% their values (the numbers themselves differ from run to run).
main() ->
    {W0, _} = statistics(wall_clock),
    {R0, _} = statistics(runtime),
    {Red0, _} = statistics(reductions),
    busy(200000),
    timer:sleep(20),
    {W1, SinceW} = statistics(wall_clock),
    {R1, SinceR} = statistics(runtime),
    {Red1, SinceRed} = statistics(reductions),
    erlang:display({wall_clock, W1 >= W0 + 20, SinceW >= 20, is_integer(W1)}),
    erlang:display({runtime, R1 >= R0, SinceR >= 0, is_integer(R1)}),
    erlang:display({reductions, Red1 > Red0, SinceRed > 1000, is_integer(SinceRed)}),
    {ExactRed, _} = statistics(exact_reductions),
    erlang:display({exact_reductions, is_integer(ExactRed), ExactRed > Red0}),
    _ = [lists:seq(1, 1000) || _ <- lists:seq(1, 200)],
    {GCs, Words, 0} = statistics(garbage_collection),
    erlang:display({garbage_collection, GCs > 0, Words > 0}),
    {Switches, 0} = statistics(context_switches),
    erlang:display({context_switches, is_integer(Switches), Switches > 0}),
    erlang:display({run_queue, is_integer(statistics(run_queue)), statistics(run_queue) >= 0}),
    {{input, I}, {output, O}} = statistics(io),
    erlang:display({io, is_integer(I), is_integer(O)}),
    erlang:display({bad_item, try statistics(no_such_item) catch error:R -> R end}),
    ok.

busy(0) -> ok;
busy(N) -> busy(N - 1).
