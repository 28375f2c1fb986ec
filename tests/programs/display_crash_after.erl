-module(display_crash_after).
-export([main/0]).

%% Prints with erlang:display only, then crashes: status 1, and the printed
%% lines before the crash are the output.
main() ->
    erlang:display(starting),
    erlang:display({config, [{retries, 3}]}),
    connect(4).

connect(0) -> erlang:error(no_more_retries);
connect(N) -> erlang:display({attempt, N}), connect(N - 1).
