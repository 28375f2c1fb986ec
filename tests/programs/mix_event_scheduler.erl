-module(mix_event_scheduler).
-export([main/0]).

%% A discrete-event simulation driven by a priority queue (gb_trees).
main() ->
    Q0 = lists:foldl(fun({T, E}, Q) -> schedule(T, E, Q) end, gb_trees:empty(),
                     [{0, {arrive, c1}}, {2, {arrive, c2}}, {3, {arrive, c3}}, {7, {arrive, c4}}]),
    {Log, Stats} = run(Q0, #{busy_until => 0, served => 0, waited => 0}, []),
    [io:format("t=~2w ~p~n", [T, E]) || {T, E} <- Log],
    io:format("~p~n", [Stats]).

schedule(T, E, Q) ->
    Key = {T, gb_trees:size(Q)},
    gb_trees:insert(Key, E, Q).

run(Q, S, Log) ->
    case gb_trees:is_empty(Q) of
        true -> {lists:reverse(Log), S};
        false ->
            {{T, _}, E, Q1} = gb_trees:take_smallest(Q),
            {Q2, S2} = handle(T, E, Q1, S),
            run(Q2, S2, [{T, E} | Log])
    end.

handle(T, {arrive, C}, Q, S = #{busy_until := B, waited := W}) ->
    Start = max(T, B),
    Done = Start + 3,
    {schedule(Done, {depart, C}, Q), S#{busy_until := Done, waited := W + (Start - T)}};
handle(_T, {depart, _C}, Q, S = #{served := N}) ->
    {Q, S#{served := N + 1}}.
