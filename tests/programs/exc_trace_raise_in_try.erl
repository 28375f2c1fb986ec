-module(exc_trace_raise_in_try).
-export([main/0]).

%% Stack traces of exceptions raised directly in the body of the try that
%% catches them (a BIF call, throw/1, error/1, inline arithmetic), and one
%% level down: the catching function is listed once. Each trace is cut
%% after main/0 (erl's own callers of main/0 follow).
main() ->
    erlang:display(lists:sublist(bif_in_try(), 3)),
    erlang:display(lists:sublist(throw_in_try(), 2)),
    erlang:display(lists:sublist(error_in_try(), 2)),
    erlang:display(lists:sublist(arith_in_try(1), 2)),
    erlang:display(lists:sublist(catch_bif(), 3)),
    erlang:display(lists:sublist(one_down(), 3)),
    erlang:display(lists:sublist(recursive(3), 3)),
    ok.

id(X) -> X.

bif_in_try() -> try atom_to_list(id(1)) catch error:_:St -> St end.
throw_in_try() -> try throw(x) catch throw:x:St -> St end.
error_in_try() -> try error(y) catch error:y:St -> St end.
arith_in_try(N) -> try 1 / (N - 1) catch error:badarith:St -> St end.
catch_bif() ->
    {'EXIT', {badarg, St}} = catch atom_to_list(id(2)),
    St.
one_down() -> try deeper(id(a)) catch error:_:St -> St end.
deeper(X) -> X + 1.
recursive(N) ->
    try case N of 0 -> throw(bottom); _ -> recursive(N - 1) end catch throw:bottom:St when N > 1 -> St end.
