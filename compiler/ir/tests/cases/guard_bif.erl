-module(guard_bif).
-export([first/1]).

%% element/2 and length/1 fail on bad arguments: in a guard that only
%% makes the guard false, so the next clause is tried.
first(T) when element(1, T) =:= tag -> tagged;
first(L) when length(L) > 2 -> long;
first(_) -> neither.
