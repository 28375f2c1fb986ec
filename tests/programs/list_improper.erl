-module(list_improper).
-export([main/0]).

main() ->
    A = [1 | 2],
    B = [1, 2 | three],
    io:format("~w ~p~n", [A, B]),
    io:format("~w~n", [[a | [b | [c | []]]]]),
    io:format("~w~n", [is_list(A)]),
    io:format("~w~n", [catch_len(A)]),
    io:format("~w~n", [tl(B)]),
    io:format("~w~n", [count_cells(B, 0)]),
    io:format("~p~n", [[$a, $b | <<"c">>]]),
    io:format("~w~n", [catch_append()]).

catch_len(L) ->
    try length(L) of
        N -> {ok, N}
    catch
        error:R -> {error, R}
    end.

count_cells([_ | T], N) -> count_cells(T, N + 1);
count_cells(Tail, N) -> {N, Tail}.

catch_append() ->
    try [1 | 2] ++ [3] of
        X -> X
    catch
        error:R -> {error, R}
    end.
