-module(mix_inventory_records).
-export([main/0]).

-record(product, {sku, name, qty = 0, price}).

main() ->
    Inv0 = new([{"A1", "anvil", 3, 99.5}, {"B2", "bucket", 40, 4.25}, {"C3", "chisel", 0, 12.0}]),
    Inv1 = restock(Inv0, "C3", 15),
    {ok, Inv2} = sell(Inv1, "A1", 2),
    Err = sell(Inv2, "A1", 5),
    io:format("~p~n", [Err]),
    Missing = sell(Inv2, "Z9", 1),
    io:format("~p~n", [Missing]),
    report(Inv2),
    Low = [P#product.name || P <- maps:values(Inv2), P#product.qty < 5],
    io:format("low stock: ~p~n", [lists:sort(Low)]),
    Value = lists:sum([P#product.qty * P#product.price || P <- maps:values(Inv2)]),
    io:format("stock value: ~.2f~n", [Value]).

new(Rows) -> maps:from_list([{S, #product{sku = S, name = N, qty = Q, price = P}} || {S, N, Q, P} <- Rows]).

restock(Inv, Sku, N) ->
    maps:update_with(Sku, fun(P) -> P#product{qty = P#product.qty + N} end, Inv).

sell(Inv, Sku, N) ->
    case maps:find(Sku, Inv) of
        {ok, #product{qty = Q} = P} when Q >= N -> {ok, Inv#{Sku := P#product{qty = Q - N}}};
        {ok, #product{qty = Q}} -> {error, {only, Q, left}};
        error -> {error, unknown_sku}
    end.

report(Inv) ->
    [io:format("~-4s ~-8s ~4w ~8.2f~n", [S, N, Q, Pr]) || #product{sku = S, name = N, qty = Q, price = Pr} <- [maps:get(K, Inv) || K <- lists:sort(maps:keys(Inv))]].
