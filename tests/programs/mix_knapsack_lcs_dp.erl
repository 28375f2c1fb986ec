-module(mix_knapsack_lcs_dp).
-export([main/0]).

main() ->
    Items = [{60, 10}, {100, 20}, {120, 30}, {30, 5}, {70, 15}],
    io:format("knapsack(50) = ~p~n", [knapsack(Items, 50)]),
    io:format("lcs = ~p~n", [lcs("AGGTABQXYZ", "GXTXAYBQZ")]),
    io:format("edit distance = ~p~n", [edit("kitten", "sitting")]),
    io:format("edit distance = ~p~n", [edit("intention", "execution")]),
    io:format("coins = ~p~n", [coin_ways(100, [1, 5, 10, 25, 50])]).

knapsack(Items, Cap) ->
    Row0 = maps:from_list([{C, 0} || C <- lists:seq(0, Cap)]),
    Final = lists:foldl(
        fun({V, W}, Row) ->
            maps:from_list([{C, if W =< C -> max(maps:get(C, Row), V + maps:get(C - W, Row)); true -> maps:get(C, Row) end}
                            || C <- lists:seq(0, Cap)])
        end, Row0, Items),
    maps:get(Cap, Final).

lcs(A, B) ->
    T = lists:foldl(
        fun({I, X}, Tab) ->
            lists:foldl(
                fun({J, Y}, T2) ->
                    V = if X =:= Y -> [X | maps:get({I - 1, J - 1}, T2, [])];
                           true -> longer(maps:get({I - 1, J}, T2, []), maps:get({I, J - 1}, T2, []))
                        end,
                    T2#{{I, J} => V}
                end, Tab, lists:zip(lists:seq(1, length(B)), B))
        end, #{}, lists:zip(lists:seq(1, length(A)), A)),
    lists:reverse(maps:get({length(A), length(B)}, T)).

longer(X, Y) when length(X) >= length(Y) -> X;
longer(_, Y) -> Y.

edit(A, B) ->
    First = lists:seq(0, length(B)),
    Last = lists:foldl(
        fun({I, X}, Prev) ->
            row(X, B, Prev, [I], I)
        end, First, lists:zip(lists:seq(1, length(A)), A)),
    lists:last(Last).

row(_, [], _, Acc, _) -> lists:reverse(Acc);
row(X, [Y | Ys], [Diag, Up | PrevRest], [Left | _] = Acc, I) ->
    Cost = if X =:= Y -> 0; true -> 1 end,
    V = lists:min([Left + 1, Up + 1, Diag + Cost]),
    row(X, Ys, [Up | PrevRest], [V | Acc], I).

coin_ways(Total, Coins) ->
    Ways0 = maps:from_list([{0, 1} | [{N, 0} || N <- lists:seq(1, Total)]]),
    W = lists:foldl(
        fun(C, Ways) ->
            lists:foldl(fun(N, Acc) -> Acc#{N := maps:get(N, Acc) + maps:get(N - C, Acc)} end, Ways, lists:seq(C, Total))
        end, Ways0, Coins),
    maps:get(Total, W).
