-module(rec_mutual_even_odd).
-export([main/0]).

%% Two functions calling each other in tail position must run in constant
%% stack, even for millions of calls.
main() ->
    io:format("~w ~w~n", [is_even(10), is_odd(10)]),
    io:format("~w ~w~n", [is_even(1000001), is_odd(1000001)]),
    io:format("~w~n", [is_even(3000000)]),
    io:format("ping-pong count: ~w~n", [ping(2000000, 0)]).

is_even(0) -> true;
is_even(N) -> is_odd(N - 1).

is_odd(0) -> false;
is_odd(N) -> is_even(N - 1).

ping(0, Acc) -> Acc;
ping(N, Acc) -> pong(N - 1, Acc + 1).

pong(0, Acc) -> Acc;
pong(N, Acc) -> ping(N - 1, Acc + 2).
