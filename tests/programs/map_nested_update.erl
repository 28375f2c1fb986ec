-module(map_nested_update).
-export([main/0]).

main() ->
    Db = #{users => #{1 => #{name => "ann", roles => [admin]}, 2 => #{name => "bo", roles => []}},
           settings => #{theme => dark}},
    Db2 = put_in(Db, [users, 2, roles], [editor]),
    io:format("~p~n", [Db2]),
    Db3 = put_in(Db2, [settings, font, size], 12),
    io:format("~p~n", [get_in(Db3, [settings, font, size])]),
    io:format("~p~n", [get_in(Db3, [users, 3, name])]),
    #{users := #{1 := #{name := N1}}} = Db3,
    io:format("~p~n", [N1]),
    Counts = lists:foldl(fun(W, Acc) -> Acc#{W => maps:get(W, Acc, 0) + 1} end, #{}, [a, b, a, c, a, b]),
    io:format("~p~n", [Counts]).

get_in(M, []) -> M;
get_in(M, [K | Ks]) when is_map(M) ->
    case maps:find(K, M) of
        {ok, V} -> get_in(V, Ks);
        error -> undefined
    end;
get_in(_, _) -> undefined.

put_in(_, [], V) -> V;
put_in(M, [K | Ks], V) ->
    Inner = maps:get(K, M, #{}),
    M#{K => put_in(Inner, Ks, V)}.
