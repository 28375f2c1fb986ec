-module(exc_stacktrace_mfa).
-export([main/0]).

main() ->
    show(fun() -> a(3) end),
    show(fun() -> hd(tl(tl([1]))) end),
    show(fun() -> element(5, {1}) end),
    show(fun() -> no_match(7) end),
    show(fun() -> lists:map(fun(X) -> 10 div X end, [1, 0]) end),
    show(fun() -> throw_from_depth(4) end).

show(F) ->
    try F() of
        V -> io:format("value ~p~n", [V])
    catch
        Class:Reason:Stack ->
            io:format("~p:~p~n", [Class, Reason]),
            [io:format("  ~p~n", [frame(Fr)]) || Fr <- Stack, keep(Fr)]
    end.

%% Only frames of this module and of the BIF that failed: what lies below
%% main/0 depends on how the program was started.
keep({?MODULE, _, _, _}) -> true;
keep({erlang, _, _, _}) -> true;
keep(_) -> false.

frame({M, F, Arity, _}) when is_integer(Arity) -> {M, F, Arity};
frame({M, F, Args, _}) -> {M, F, length(Args), args, Args}.

a(0) -> error(bottom);
a(N) -> b(N - 1), ok.

b(N) -> a(N), ok.

no_match(X) ->
    {ok, Y} = {error, X},
    Y.

throw_from_depth(0) -> throw(deep);
throw_from_depth(N) -> [throw_from_depth(N - 1)].
