-module(otp_ets_ordered_set).
-export([main/0]).

main() ->
    T = ets:new(scores, [ordered_set]),
    ets:insert(T, [{N, N * N} || N <- [5, 3, 9, 1, 7, 2]]),
    io:format("~p~n", [ets:tab2list(T)]),
    io:format("~p ~p~n", [ets:first(T), ets:last(T)]),
    io:format("~p ~p~n", [ets:next(T, 3), ets:prev(T, 3)]),
    io:format("~p~n", [ets:next(T, 9)]),
    io:format("~p~n", [walk(T, ets:first(T))]),
    MS = [{{'$1', '$2'}, [{'>', '$2', 10}], [{{'$1', '$2'}}]}],
    io:format("~p~n", [ets:select(T, MS)]),
    io:format("~p~n", [ets:select(T, [{{'$1', '_'}, [{'<', '$1', 4}], ['$1']}])]),
    io:format("~p~n", [ets:select_count(T, [{{'_', '$1'}, [{'>=', '$1', 25}], [true]}])]),
    io:format("~p~n", [ets:select_delete(T, [{{'$1', '_'}, [{'==', {'rem', '$1', 3}, 0}], [true]}])]),
    io:format("~p~n", [ets:tab2list(T)]),
    {Page, Cont} = ets:select(T, [{'$1', [], ['$1']}], 2),
    io:format("~p~n", [Page]),
    {Page2, _} = ets:select(Cont),
    io:format("~p~n", [Page2]),
    S = ets:new(strs, [ordered_set]),
    ets:insert(S, [{"b", 1}, {"a", 2}, {<<"z">>, 3}, {zed, 4}, {1.5, 5}, {{t}, 6}]),
    io:format("~p~n", [ets:tab2list(S)]).

walk(_, '$end_of_table') -> [];
walk(T, K) -> [K | walk(T, ets:next(T, K))].
