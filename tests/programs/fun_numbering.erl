-module(fun_numbering).
-export([main/0]).

%% erlc names a fun `-F/A-fun-N-`, N counting the funs and comprehensions
%% of F in the order it translates them: a call's arguments, a tuple's
%% elements and a list's cells right to left, a comprehension's generator
%% before the comprehension, a fun after the funs inside it. The names show
%% in erlang:fun_info/2 and in stack traces. (A fun in code erlc finds dead
%% is counted too, then dropped: Coral, which sees only the Core Erlang
%% erlc prints, does not know of it, so this program has no dead code.)
main() ->
    N = fun(F) -> erlang:display(erlang:fun_info(F, name)) end,
    N(fun() -> a end),
    lists:foreach(N, [fun() -> b end, fun() -> c end]),
    two(fun() -> d end, fun() -> e end),
    T = {fun() -> f end, fun() -> g end},
    N(element(1, T)),
    N(element(2, T)),
    N(hd(lists:map(fun(X) -> X end, [fun() -> h end]))),
    [N(F) || F <- [fun() -> i end]],
    [N(fun() -> X end) || X <- [j, k]],
    << <<(N(fun() -> B end))/binary>> || <<B>> <= <<1>>, B > 5 >>,
    Outer = fun() -> fun() -> inner end end,
    N(Outer),
    N(Outer()),
    case erlang:phash2(x) of
        0 -> N(fun() -> zero end);
        _ -> N(fun() -> case_branch end)
    end,
    other(),
    ok.

two(A, B) ->
    erlang:display({erlang:fun_info(A, name), erlang:fun_info(B, name)}).

other() ->
    Fs = [fun() -> {X, Y} end || X <- [1, 2], Y <- [fun() -> y end]],
    [erlang:display(erlang:fun_info(F, name)) || F <- Fs],
    erlang:display(erlang:fun_info(element(2, (hd(Fs))()), name)).
