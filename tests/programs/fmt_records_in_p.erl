-module(fmt_records_in_p).
-export([main/0]).

-record(item, {id, name, price = 0.0, tags = []}).

%% io:format knows nothing of record definitions: records print as tuples.
main() ->
    Items = [#item{id = N, name = "item" ++ integer_to_list(N), price = N * 1.25, tags = [new || N > 2]}
             || N <- lists:seq(1, 4)],
    io:format("~p~n", [Items]),
    io:format("~w~n", [hd(Items)]),
    [io:format("~-8s ~6.2f ~p~n", [I#item.name, I#item.price, I#item.tags]) || I <- Items],
    Total = lists:sum([I#item.price || I <- Items]),
    io:format("total: ~.2f~n", [Total]).
