-module(crash_no_trailing_newline).
-export([main/0]).

%% Output without a final newline, then an error: the partial line is still
%% the program's output.
main() ->
    io:format("partial line"),
    io:format(" continues"),
    1 = length(lists:seq(1, 2)).
