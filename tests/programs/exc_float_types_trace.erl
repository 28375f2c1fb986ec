-module(exc_float_types_trace).
-export([main/0, exported/1]).

%% erlc knows a value is a float across the module's own functions: a
%% parameter every caller passes a float, the result of a function that
%% only returns floats, the result of a math function or list_to_float/1.
%% Arithmetic on such a value is a float instruction and fails with
%% badarith and no erlang:Op entry in the stack trace; arithmetic on a
%% value it cannot know fails as a BIF call, with the operands.
main() ->
    Big = list_to_float("1.0e300"),
    show(catch_trace(fun() -> square(Big) end)),
    show(catch_trace(fun() -> power(Big, 3) end)),
    show(catch_trace(fun() -> grow(Big, 0) end)),
    show(catch_trace(fun() -> half() * Big * Big end)),
    show(catch_trace(fun() -> math:sqrt(id(4.0)) * Big * Big * Big end)),
    show(catch_trace(fun() -> mixed(Big) end)),
    show(catch_trace(fun() -> mixed(3) end)),
    show(catch_trace(fun() -> exported(Big) end)),
    show(catch_trace(fun() -> (fun lambda/1)(Big) end)),
    show(catch_trace(fun() -> loop(Big, 1.0) end)),
    show(catch_trace(fun() -> from_case(Big, 1) end)),
    show(catch_trace(fun() -> from_case(Big, 2) end)),
    erlang:display(square(1.5)),
    erlang:display(power(2.0, 3)),
    erlang:display(loop(1.5, 2.0)),
    ok.

catch_trace(F) ->
    try F() catch Class:Reason:Trace -> {Class, Reason, lists:sublist(Trace, 2)} end.

show(X) -> erlang:display(X).

square(X) -> X * X.
power(X, 0) -> X;
power(X, N) -> power(X * X, N - 1).
grow(X, N) when N < 3 -> grow(X * 10.0, N + 1);
grow(X, _) -> X * X.
half() -> 0.5.
mixed(X) -> X * 1.0e300 * id(X).
id(X) -> X.
exported(X) -> X * X.
lambda(X) -> X * X.
loop(X, Acc) when Acc < 1.0e10 -> loop(X, Acc * X);
loop(_, Acc) -> Acc.
from_case(X, K) ->
    Y = case K of
            1 -> X * 2.0;
            _ -> 7
        end,
    Y * X.
