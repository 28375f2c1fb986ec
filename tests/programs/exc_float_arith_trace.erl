-module(exc_float_arith_trace).
-export([main/0]).

%% Arithmetic that erlc's float pass turns into float instructions (a float
%% literal operand, or an operand known to be a float) fails with badarith
%% and no erlang:Op entry in the stack trace; the rest fails as a BIF call.
main() ->
    A = id(a),
    Big = id(1.0e308),
    Cases = [{fun times_float/1, A}, {fun times_int/1, A}, {fun float_minus/1, A},
             {fun plus_float/1, A}, {fun minus_float/1, A}, {fun chain/1, A},
             {fun times_float/1, Big}, {fun plus_float/1, Big}, {fun chain/1, Big},
             {fun plus_int/1, A}, {fun int_minus/1, A}, {fun divide/1, A}],
    [erlang:display(top_of_trace(F, V)) || {F, V} <- Cases],
    erlang:display(chain(3)),
    ok.

id(X) -> X.

%% The class, the reason and the two innermost stack-trace entries (below
%% them come erl's own callers of main/0).
top_of_trace(F, V) ->
    try F(V)
    catch Class:Reason:Trace -> {Class, Reason, lists:sublist(Trace, 2)}
    end.
times_float(X) -> X * 10.0.
times_int(X) -> X * 10.
float_minus(X) -> 10.0 - X.
plus_float(X) -> X + 1.5.
minus_float(X) -> X - 1.5.
chain(X) -> 2.0 * X * X.
plus_int(X) -> X + 1.
int_minus(X) -> 10 - X.
divide(X) -> 10 / X.
