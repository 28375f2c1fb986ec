-module(rec_factorial_bignum).
-export([main/0]).

%% Factorials grow past the small-integer range quickly; both a body-recursive
%% and an accumulator version must agree.
main() ->
    lists:foreach(fun(N) -> io:format("~w! = ~w~n", [N, fact(N)]) end, lists:seq(0, 25)),
    F100 = fact(100),
    io:format("100! = ~p~n", [F100]),
    io:format("same: ~p~n", [F100 =:= fact_acc(100, 1)]),
    io:format("digits of 500!: ~w~n", [length(integer_to_list(fact_acc(500, 1)))]),
    io:format("500! rem 1000000007 = ~w~n", [fact_acc(500, 1) rem 1000000007]).

fact(0) -> 1;
fact(N) when N > 0 -> N * fact(N - 1).

fact_acc(0, Acc) -> Acc;
fact_acc(N, Acc) -> fact_acc(N - 1, N * Acc).
