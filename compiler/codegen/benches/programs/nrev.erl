%% Naive reverse of a 30-element list: list allocation (496 cons cells per
%% reverse), non-tail recursion, and the garbage collector.
%% vs_erl iterations: 300000
-module(nrev).
-export([main/0, main/1]).

main() ->
    main(["1"]).

main([Count]) ->
    List = seq(1, 30),
    erlang:display(loop(list_to_integer(Count), List, 0)).

loop(0, _List, Acc) ->
    Acc;
loop(I, List, Acc) ->
    loop(I - 1, List, (Acc * 31 + weigh(nrev(List), 1, I)) band 16#FFFFFFF).

nrev([]) ->
    [];
nrev([H | T]) ->
    app(nrev(T), [H]).

app([], L) ->
    L;
app([H | T], L) ->
    [H | app(T, L)].

seq(From, To) when From > To ->
    [];
seq(From, To) ->
    [From | seq(From + 1, To)].

%% A checksum that depends on the order of the elements.
weigh([], _Pos, Acc) ->
    Acc;
weigh([H | T], Pos, Acc) ->
    weigh(T, Pos + 1, Acc + H * Pos).
