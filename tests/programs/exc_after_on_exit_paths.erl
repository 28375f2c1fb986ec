-module(exc_after_on_exit_paths).
-export([main/0]).

main() ->
    put(log, []),
    R1 = (catch guarded(fun() -> ok end)),
    R2 = (catch guarded(fun() -> throw(t) end)),
    R3 = (catch guarded(fun() -> exit(x) end)),
    R4 = (catch guarded(fun() -> error(e) end)),
    io:format("~p~n", [[simplify(R) || R <- [R1, R2, R3, R4]]]),
    io:format("~p~n", [lists:reverse(get(log))]),
    io:format("~p~n", [loop_with_cleanup(5)]),
    io:format("~p~n", [lists:reverse(get(log))]).

guarded(F) ->
    try F()
    after
        put(log, [cleanup | get(log)])
    end.

loop_with_cleanup(0) -> done;
loop_with_cleanup(N) ->
    try
        case N of
            3 -> throw(skip);
            _ -> put(log, [{iter, N} | get(log)])
        end
    catch
        throw:skip -> put(log, [{skipped, N} | get(log)])
    after
        put(log, [{after_iter, N} | get(log)])
    end,
    loop_with_cleanup(N - 1).

simplify({'EXIT', {R, _}}) -> {'EXIT', R};
simplify(X) -> X.
