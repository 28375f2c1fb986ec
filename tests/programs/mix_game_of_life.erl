-module(mix_game_of_life).
-export([main/0]).

main() ->
    Glider = sets:from_list([{1, 0}, {2, 1}, {0, 2}, {1, 2}, {2, 2}]),
    show(Glider, 8, 6),
    G4 = iterate(Glider, 4),
    show(G4, 8, 6),
    Blinker = sets:from_list([{1, 0}, {1, 1}, {1, 2}]),
    show(step(Blinker), 4, 3),
    Acorn = sets:from_list([{1, 0}, {3, 1}, {0, 2}, {1, 2}, {4, 2}, {5, 2}, {6, 2}]),
    io:format("acorn population after 50 steps: ~p~n", [sets:size(iterate(Acorn, 50))]).

iterate(G, 0) -> G;
iterate(G, N) -> iterate(step(G), N - 1).

step(Live) ->
    Counts = lists:foldl(
        fun({X, Y}, Acc) ->
            lists:foldl(fun(C, A) -> maps:update_with(C, fun(V) -> V + 1 end, 1, A) end, Acc,
                        [{X + DX, Y + DY} || DX <- [-1, 0, 1], DY <- [-1, 0, 1], {DX, DY} =/= {0, 0}])
        end, #{}, lists:sort(sets:to_list(Live))),
    sets:from_list([C || {C, N} <- lists:sort(maps:to_list(Counts)), N =:= 3 orelse (N =:= 2 andalso sets:is_element(C, Live))]).

show(G, W, H) ->
    [io:format("~s~n", [[case sets:is_element({X, Y}, G) of true -> $#; false -> $. end || X <- lists:seq(0, W - 1)]])
     || Y <- lists:seq(0, H - 1)],
    io:format("~n").
