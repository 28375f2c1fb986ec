%% try/catch, catch, throw, exit, error, rethrow, BIF exceptions, undef,
%% function_clause and case_clause reasons.
-module(exceptions).
-export([main/0]).

main() ->
    erlang:display(catch throw(ball)),
    erlang:display(catch exit(bye)),
    erlang:display(reason(catch error(boom))),
    erlang:display(try 1 + one() catch error:R -> {caught, R} end),
    erlang:display(try throw(x) catch throw:X -> {thrown, X} after erlang:display(after_ran) end),
    erlang:display(try ok of ok -> fine catch _:_ -> bad end),
    erlang:display(try nested() catch C:R2 -> {outer, C, R2} end),
    erlang:display(reason(catch element(5, {a}))),
    erlang:display(reason(catch nomod:nofun(1, 2))),
    erlang:display(reason(catch f(z))),
    erlang:display(reason(catch cc(3))),
    erlang:display(deep_catch(1000)),
    erlang:display(reason(catch hd([]))),
    erlang:display(stack_shape(catch f(z))).

one() -> a.

nested() ->
    try error(inner) catch error:inner -> throw(rethrown) end.

reason({'EXIT', {R, _Stack}}) -> R;
reason(Other) -> Other.

f(a) -> 1.

%% The first stack frame and the caller's module, without lines or the
%% frames of whatever started main/0.
stack_shape({'EXIT', {R, [{M, F, Args, _} | Rest]}}) ->
    {R, M, F, Args, element(1, hd(Rest))}.

cc(X) -> case X of 1 -> one; 2 -> two end.

deep_catch(0) -> throw(bottom);
deep_catch(N) -> try deep_catch(N - 1) catch throw:bottom when N =:= 500 -> {caught_at, N} end.
