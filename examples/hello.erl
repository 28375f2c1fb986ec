%% The smallest Coral program: print a greeting.
-module(hello).
-export([main/0]).

main() ->
    io:format("Hello from ~s!~n", [coral]).
