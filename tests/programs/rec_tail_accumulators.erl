-module(rec_tail_accumulators).
-export([main/0]).

main() ->
    L = lists:seq(1, 20),
    io:format("~w~n", [rev(L, [])]),
    io:format("~w~n", [len(L, 0)]),
    io:format("~w~n", [max_of(L, hd(L))]),
    {Evens, Odds} = split(L, [], []),
    io:format("~w ~w~n", [Evens, Odds]),
    io:format("~w~n", [count_down(5, [])]),
    io:format("~w~n", [len(lists:seq(1, 2000000), 0)]).

rev([], Acc) -> Acc;
rev([H | T], Acc) -> rev(T, [H | Acc]).

len([], N) -> N;
len([_ | T], N) -> len(T, N + 1).

max_of([], M) -> M;
max_of([H | T], M) when H > M -> max_of(T, H);
max_of([_ | T], M) -> max_of(T, M).

split([], E, O) -> {lists:reverse(E), lists:reverse(O)};
split([H | T], E, O) when H rem 2 =:= 0 -> split(T, [H | E], O);
split([H | T], E, O) -> split(T, E, [H | O]).

count_down(0, Acc) -> lists:reverse([liftoff | Acc]);
count_down(N, Acc) -> count_down(N - 1, [N | Acc]).
