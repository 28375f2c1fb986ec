-module(proc_periodic_ticks).
-export([main/0]).

%% A ticker process sends a fixed number of ticks; the receiver counts them
%% while also handling other messages.
main() ->
    Self = self(),
    spawn(fun() -> ticker(Self, 5, 10) end),
    self() ! {note, first},
    Result = loop(0, []),
    io:format("~p~n", [Result]).

ticker(To, 0, _) -> To ! done;
ticker(To, N, Interval) ->
    receive after Interval -> ok end,
    To ! {tick, N},
    ticker(To, N - 1, Interval).

loop(Ticks, Notes) ->
    receive
        {tick, N} -> io:format("tick ~p~n", [N]), loop(Ticks + 1, Notes);
        {note, X} -> loop(Ticks, [X | Notes]);
        done -> {ticks, Ticks, notes, Notes}
    after 1000 -> timeout
    end.
