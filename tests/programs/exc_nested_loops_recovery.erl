-module(exc_nested_loops_recovery).
-export([main/0]).

%% Errors inside loops, caught per item, with running totals kept.
main() ->
    Items = [10, 5, 0, a, 2, {x}, -5, 1],
    {Sum, Errors} = lists:foldl(
        fun(I, {S, E}) ->
            %% A throw from an `of` clause is not caught by the same try.
            try positive(100 div I) of
                V -> {S + V, E}
            catch
                error:badarith -> {S, [{badarith, I} | E]};
                throw:{negative, V} -> {S, [{negative, V} | E]}
            end
        end, {0, []}, Items),
    io:format("~p ~p~n", [Sum, lists:reverse(Errors)]),
    io:format("~p~n", [retry(fun attempt/1, 5)]),
    io:format("~p~n", [retry(fun(_) -> error(always) end, 3)]).

positive(V) when V < 0 -> throw({negative, V});
positive(V) -> V.

retry(F, Max) -> retry(F, 1, Max).
retry(F, N, Max) ->
    try F(N) of
        V -> {ok, V, attempts, N}
    catch
        _:R when N < Max -> io:format("attempt ~p failed: ~p~n", [N, R]), retry(F, N + 1, Max);
        _:R -> {failed, R}
    end.

attempt(N) when N < 3 -> exit({not_yet, N});
attempt(N) -> N * 10.
