-module(proc_worker_pool).
-export([main/0]).

%% A fixed pool of workers pulling jobs from a dispatcher.
main() ->
    Self = self(),
    Jobs = lists:seq(1, 50),
    Dispatcher = spawn(fun() -> dispatch(Jobs, Self, 4, 0) end),
    [spawn(fun() -> worker(Dispatcher, W) end) || W <- lists:seq(1, 4)],
    Results = collect(length(Jobs), []),
    io:format("~w~n", [lists:sort([R || {_, R} <- Results])]),
    io:format("~w~n", [lists:sum([R || {_, R} <- Results])]),
    receive {workers_stopped, N} -> io:format("stopped ~w workers~n", [N]) end.

dispatch([], Main, Workers, Stopped) when Stopped =:= Workers -> Main ! {workers_stopped, Stopped};
dispatch(Jobs, Main, Workers, Stopped) ->
    receive
        {ready, W} ->
            case Jobs of
                [J | Rest] -> W ! {job, J, Main}, dispatch(Rest, Main, Workers, Stopped);
                [] -> W ! stop, dispatch([], Main, Workers, Stopped + 1)
            end
    end.

worker(Dispatcher, Id) ->
    Dispatcher ! {ready, self()},
    receive
        {job, J, Main} -> Main ! {result, {Id, J * J}}, worker(Dispatcher, Id);
        stop -> ok
    end.

collect(0, Acc) -> Acc;
collect(N, Acc) -> receive {result, R} -> collect(N - 1, [R | Acc]) end.
