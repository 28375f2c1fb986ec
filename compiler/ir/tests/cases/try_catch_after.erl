-module(try_catch_after).
-export([run/1]).

run(F) ->
    try F() of
        V -> {ok, V}
    catch
        throw:X -> {thrown, X};
        error:R:S -> {error, R, S}
    after
        cleanup()
    end.

cleanup() -> ok.
