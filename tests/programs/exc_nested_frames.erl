-module(exc_nested_frames).
-export([main/0]).

%% BEAM lists every frame on the stack in a stack trace (a run of frames of
%% one call site once), and erlc gives no frame to a call of a function that
%% can only raise. Errors raised in nested calls that can return list their
%% callers; those in functions that never return do not.
main() ->
    show(fun() -> a(1) end),
    show(fun() -> a(2) end),
    show(fun() -> 1 + a(3) end),
    show(fun() -> q(3) end),
    show(fun() -> [w(4)] end),
    show(fun() -> x(2) end),
    show(fun() -> catcher(1) end),
    ok.

show(F) ->
    erlang:display(try F() catch C:R:S -> {C, R, [Fr || Fr <- S, keep(Fr)]} end).

%% What lies below main/0 depends on how the program was started.
keep({M, _, _, _}) -> M =:= ?MODULE orelse M =:= erlang.

a(N) -> 1 + b(N).
b(N) -> 1 + c(N).
c(0) -> 0;
c(1) -> id(1) + x;
c(N) -> case id(N) of 2 -> erlang:error(boom); 3 -> throw(up); M -> M end.

%% Never returns: its frames are not listed.
q(0) -> X = id(0), X + a;
q(N) -> 1 + q(N - 1).

%% Can return (w(0)), so the recursion's frames are listed once.
w(0) -> ok;
w(1) -> element(2, id(x));
w(N) -> {w(N - 1)}.

%% Only raises, through another function.
x(N) -> [y(N)].
y(N) -> erlang:error({y, N}).

%% A catch in the middle: the trace is made when the error is raised.
catcher(N) ->
    try 1 + b(N) catch error:R:S -> {caught, R, lists:sublist(S, 3)} end.

id(X) -> X.
