-module(halt_with_status).
-export([main/0]).

%% halt/1 ends the VM with the given status; output written before it is kept.
main() ->
    erlang:display(before_halt),
    Status = lists:sum([1, 2]),
    erlang:halt(Status),
    erlang:display(never).
