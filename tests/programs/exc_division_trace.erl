-module(exc_division_trace).
-export([main/0]).

%% A failed division is traced as BEAM traces it: a division by zero of a
%% number lists, after the raising function, the call its caller made
%% (`div` and `rem` with their BIF entry first); `/` lists its BIF entry
%% only when its divisor is zero and its dividend no number; other
%% arithmetic errors list neither.
main() ->
    show(fun() -> p2(3) end),
    show(fun() -> p3(3) end),
    show(fun() -> p4(3) end),
    show(fun() -> p5(3) end),
    show(fun() -> p6(3) end),
    show(fun() -> p7(3) end),
    show(fun() -> p8(3) end),
    show(fun() -> p9(3) end),
    show(fun() -> p10(3) end),
    show(fun() -> p11(3) end),
    show(fun() -> p2(0) end),
    show(fun() -> deep(5) end),
    ok.

show(F) ->
    erlang:display(try F() catch error:R:S -> {R, lists:sublist(S, 3)} end).

p2(0) -> 1 / zero();
p2(N) -> 1 + p2(N - 1).
p3(Z) when Z =:= 0 -> 1 / Z;
p3(N) -> 1 + p3(N - 1).
p4(0) -> 1 div zero();
p4(N) -> 1 + p4(N - 1).
p5(0) -> X = zero(), 1 rem X;
p5(N) -> 1 + p5(N - 1).
p6(0) -> X = zero(), a div X;
p6(N) -> 1 + p6(N - 1).
p7(0) -> X = fzero(), 1.5 / X;
p7(N) -> 1 + p7(N - 1).
p8(0) -> try 1 / zero() catch throw:_ -> x end;
p8(N) -> 1 + p8(N - 1).
p9(0) -> X = zero(), a / X;
p9(N) -> 1 + p9(N - 1).
p10(0) -> X = zero(), 10 / id(a) + X;
p10(N) -> 1 + p10(N - 1).
p11(0) -> X = zero(), X + a;
p11(N) -> 1 + p11(N - 1).
deep(0) -> 1 / zero();
deep(N) -> 1 + deep(N - 1).
zero() -> 0.
fzero() -> 0.0.
id(X) -> X.
