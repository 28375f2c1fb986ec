-module(receive_after).
-export([wait/1]).

%% The receive loop (letrec_goto) becomes blocks of wait/1.
wait(T) ->
    receive
        {msg, M} -> {ok, M};
        stop -> stopped
    after T -> timeout
    end.
