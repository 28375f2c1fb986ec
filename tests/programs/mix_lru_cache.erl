-module(mix_lru_cache).
-export([main/0]).

%% An LRU cache as a map plus a recency-ordered gb_tree.
main() ->
    C0 = new(3),
    C1 = put(a, 1, C0),
    C2 = put(b, 2, C1),
    C3 = put(c, 3, C2),
    {V, C4} = get(a, C3),
    io:format("get a: ~p~n", [V]),
    C5 = put(d, 4, C4),
    io:format("keys: ~p~n", [keys(C5)]),
    {Miss, C6} = get(b, C5),
    io:format("get b: ~p~n", [Miss]),
    C7 = put(c, 30, C6),
    C8 = put(e, 5, C7),
    io:format("keys: ~p~n", [keys(C8)]),
    Big = lists:foldl(fun(N, C) -> put(N rem 17, N, C) end, new(5), lists:seq(1, 1000)),
    io:format("~p~n", [keys(Big)]).

new(Cap) -> {Cap, 0, #{}, gb_trees:empty()}.

put(K, V, {Cap, T, Map, Order}) ->
    Order1 = case maps:find(K, Map) of
                 {ok, {_, OldT}} -> gb_trees:delete(OldT, Order);
                 error -> Order
             end,
    Map1 = Map#{K => {V, T}},
    evict({Cap, T + 1, Map1, gb_trees:insert(T, K, Order1)}).

get(K, {Cap, T, Map, Order} = C) ->
    case maps:find(K, Map) of
        {ok, {V, OldT}} ->
            {{ok, V}, {Cap, T + 1, Map#{K := {V, T}}, gb_trees:insert(T, K, gb_trees:delete(OldT, Order))}};
        error -> {miss, C}
    end.

evict({Cap, T, Map, Order}) when map_size(Map) > Cap ->
    {_, K, Order1} = gb_trees:take_smallest(Order),
    evict({Cap, T, maps:remove(K, Map), Order1});
evict(C) -> C.

keys({_, _, _, Order}) -> gb_trees:values(Order).
