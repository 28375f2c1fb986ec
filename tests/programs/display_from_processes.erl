-module(display_from_processes).
-export([main/0]).

%% Processes take turns: each displays, then hands a token on, so the output
%% order is fixed.
main() ->
    Self = self(),
    First = lists:foldl(
        fun(N, Next) -> spawn(fun() -> worker(N, Next) end) end,
        Self,
        lists:seq(1, 8)
    ),
    First ! {token, []},
    receive
        {token, Trail} -> erlang:display({trail, Trail})
    end.

worker(N, Next) ->
    receive
        {token, Trail} ->
            erlang:display({worker, N}),
            Next ! {token, [N | Trail]}
    end.
