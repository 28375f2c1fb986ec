%% Quicksort of a fixed pseudo-random list (Park-Miller generator):
%% partitioning with comparisons, list allocation, appends.
%% vs_erl iterations: 25000
-module(qsort).
-export([main/0, main/1]).

main() ->
    main(["1"]).

main([Count]) ->
    List = random_list(300, 12345, []),
    erlang:display(loop(list_to_integer(Count), List, 0)).

loop(0, _List, Acc) ->
    Acc;
loop(I, List, Acc) ->
    loop(I - 1, List, (Acc * 31 + weigh(qsort(List), 1, I)) band 16#FFFFFFF).

random_list(0, _Seed, Acc) ->
    Acc;
random_list(N, Seed, Acc) ->
    Next = Seed * 16807 rem 2147483647,
    random_list(N - 1, Next, [Next rem 100000 | Acc]).

qsort([]) ->
    [];
qsort([Pivot | Rest]) ->
    {Smaller, Larger} = partition(Pivot, Rest, [], []),
    app(qsort(Smaller), [Pivot | qsort(Larger)]).

partition(_Pivot, [], Smaller, Larger) ->
    {Smaller, Larger};
partition(Pivot, [H | T], Smaller, Larger) when H < Pivot ->
    partition(Pivot, T, [H | Smaller], Larger);
partition(Pivot, [H | T], Smaller, Larger) ->
    partition(Pivot, T, Smaller, [H | Larger]).

app([], L) ->
    L;
app([H | T], L) ->
    [H | app(T, L)].

%% A checksum that depends on the order of the elements.
weigh([], _Pos, Acc) ->
    Acc;
weigh([H | T], Pos, Acc) ->
    weigh(T, Pos + 1, (Acc + H * Pos) band 16#FFFFFFF).
