-module(proc_big_messages).
-export([main/0]).

%% Large and shared terms are copied into the receiver intact.
main() ->
    Shared = lists:seq(1, 1000),
    Term = {Shared, Shared, #{list => Shared, bin => binary:copy(<<"x">>, 1000)},
            [{N, integer_to_list(N)} || N <- lists:seq(1, 500)], 1 bsl 300, 2.5},
    Self = self(),
    Echo = spawn(fun() -> receive {From, T} -> From ! {back, T, erlang:phash2(T)} end end),
    Echo ! {Self, Term},
    receive
        {back, T2, H} ->
            io:format("~p ~p~n", [T2 =:= Term, H =:= erlang:phash2(Term)]),
            io:format("~p~n", [erts_debug:size(T2) >= erts_debug:size(Shared)])
    end,
    Deep = lists:foldl(fun(N, Acc) -> {N, Acc} end, nil, lists:seq(1, 100000)),
    Echo2 = spawn(fun() -> receive {From, T} -> From ! {depth, depth(T, 0)} end end),
    Echo2 ! {Self, Deep},
    receive {depth, D} -> io:format("depth ~p~n", [D]) end.

depth(nil, N) -> N;
depth({_, Rest}, N) -> depth(Rest, N + 1).
