%% 100 million self tail calls: a loop in bounded memory, with reduction checks.
-module(loop_100m).
-export([main/0]).

main() ->
    erlang:display(count(100000000, 0)),
    erlang:display(even(1000001)),
    erlang:display(calls(3000000, 0)),
    erlang:display(nested(2000, 0)).

count(0, Acc) -> Acc;
count(N, Acc) -> count(N - 1, Acc + 1).

even(0) -> true;
even(N) -> odd(N - 1).
odd(0) -> false;
odd(N) -> even(N - 1).

%% A loop whose body makes a non-tail call: its header is entered from the
%% call's continuation, and reduction checks suspend it there.
calls(0, Acc) -> Acc;
calls(N, Acc) ->
    X = id(N),
    calls(N - 1, Acc + X rem 7).

%% Two nested loops, the inner one with a call and live values around it.
nested(0, Acc) -> Acc;
nested(N, Acc) -> nested(N - 1, inner(N rem 300, N, Acc)).

inner(0, _, Acc) -> Acc;
inner(K, N, Acc) -> inner(K - 1, N, Acc + id(K) * N rem 11).

id(X) -> X.
