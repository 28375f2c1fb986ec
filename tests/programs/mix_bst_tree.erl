-module(mix_bst_tree).
-export([main/0]).

main() ->
    Keys = [50, 30, 70, 20, 40, 60, 80, 35, 45, 65],
    T = lists:foldl(fun(K, Acc) -> insert(K, K * 10, Acc) end, nil, Keys),
    io:format("~p~n", [to_list(T)]),
    io:format("height ~p size ~p~n", [height(T), tree_size(T)]),
    io:format("~p ~p~n", [lookup(45, T), lookup(99, T)]),
    T2 = delete(30, delete(50, T)),
    io:format("~p~n", [[K || {K, _} <- to_list(T2)]]),
    io:format("~p~n", [range(33, 66, T)]),
    Big = lists:foldl(fun(K, Acc) -> insert(K, K, Acc) end, nil, [(X * 7919) rem 10007 || X <- lists:seq(1, 5000)]),
    io:format("~p ~p~n", [tree_size(Big), height(Big)]).

insert(K, V, nil) -> {K, V, nil, nil};
insert(K, V, {K, _, L, R}) -> {K, V, L, R};
insert(K, V, {NK, NV, L, R}) when K < NK -> {NK, NV, insert(K, V, L), R};
insert(K, V, {NK, NV, L, R}) -> {NK, NV, L, insert(K, V, R)}.

lookup(_, nil) -> none;
lookup(K, {K, V, _, _}) -> {ok, V};
lookup(K, {NK, _, L, _}) when K < NK -> lookup(K, L);
lookup(K, {_, _, _, R}) -> lookup(K, R).

delete(_, nil) -> nil;
delete(K, {K, _, nil, R}) -> R;
delete(K, {K, _, L, nil}) -> L;
delete(K, {K, _, L, R}) -> {MK, MV} = min_node(R), {MK, MV, L, delete(MK, R)};
delete(K, {NK, NV, L, R}) when K < NK -> {NK, NV, delete(K, L), R};
delete(K, {NK, NV, L, R}) -> {NK, NV, L, delete(K, R)}.

min_node({K, V, nil, _}) -> {K, V};
min_node({_, _, L, _}) -> min_node(L).

to_list(nil) -> [];
to_list({K, V, L, R}) -> to_list(L) ++ [{K, V}] ++ to_list(R).

range(_, _, nil) -> [];
range(Lo, Hi, {K, _, L, R}) ->
    (if K > Lo -> range(Lo, Hi, L); true -> [] end)
    ++ (if K >= Lo, K =< Hi -> [K]; true -> [] end)
    ++ (if K < Hi -> range(Lo, Hi, R); true -> [] end).

height(nil) -> 0;
height({_, _, L, R}) -> 1 + max(height(L), height(R)).

tree_size(nil) -> 0;
tree_size({_, _, L, R}) -> 1 + tree_size(L) + tree_size(R).
