-module(mix_dijkstra_graph).
-export([main/0]).

main() ->
    Edges = [{a, b, 7}, {a, c, 9}, {a, f, 14}, {b, c, 10}, {b, d, 15}, {c, d, 11}, {c, f, 2},
             {d, e, 6}, {e, f, 9}],
    G = lists:foldl(fun({U, V, W}, Acc) -> add(V, U, W, add(U, V, W, Acc)) end, #{}, Edges),
    {Dist, Prev} = dijkstra(G, a),
    [io:format("~p: ~p via ~p~n", [N, maps:get(N, Dist), path(Prev, N)]) || N <- lists:sort(maps:keys(Dist))],
    io:format("~p~n", [bfs(G, a)]).

add(U, V, W, G) -> maps:update_with(U, fun(L) -> [{V, W} | L] end, [{V, W}], G).

dijkstra(G, Src) -> loop(G, gb_sets:singleton({0, Src}), #{Src => 0}, #{}).

loop(G, Q, Dist, Prev) ->
    case gb_sets:is_empty(Q) of
        true -> {Dist, Prev};
        false ->
            {{D, U}, Q1} = gb_sets:take_smallest(Q),
            {Q2, Dist2, Prev2} = lists:foldl(
                fun({V, W}, {QA, DA, PA}) ->
                    Alt = D + W,
                    case maps:find(V, DA) of
                        {ok, Old} when Old =< Alt -> {QA, DA, PA};
                        _ -> {gb_sets:add({Alt, V}, QA), DA#{V => Alt}, PA#{V => U}}
                    end
                end, {Q1, Dist, Prev}, lists:sort(maps:get(U, G, []))),
            loop(G, Q2, Dist2, Prev2)
    end.

path(Prev, N) ->
    case maps:find(N, Prev) of
        {ok, P} -> path(Prev, P) ++ [N];
        error -> [N]
    end.

bfs(G, Start) -> bfs(G, queue:from_list([Start]), [Start], []).
bfs(G, Q, Seen, Order) ->
    case queue:out(Q) of
        {empty, _} -> lists:reverse(Order);
        {{value, N}, Q1} ->
            Next = [V || {V, _} <- lists:sort(maps:get(N, G, [])), not lists:member(V, Seen)],
            bfs(G, lists:foldl(fun queue:in/2, Q1, Next), Seen ++ Next, [N | Order])
    end.
