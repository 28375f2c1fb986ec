-module(mix_tic_tac_toe_minimax).
-export([main/0]).

%% Exhaustive minimax from a partly played position.
main() ->
    Board = {x, o, x,
             e, o, e,
             e, e, e},
    {Score, Move} = best(Board, x),
    io:format("best move for x: ~p (score ~p)~n", [Move, Score]),
    Game = play(Board, x, []),
    io:format("~p~n", [Game]),
    io:format("~p~n", [winner(setelement(8, setelement(Move, Board, x), o))]),
    io:format("positions from empty: ~p~n", [count_games(erlang:make_tuple(9, e), x)]).

lines() -> [{1, 2, 3}, {4, 5, 6}, {7, 8, 9}, {1, 4, 7}, {2, 5, 8}, {3, 6, 9}, {1, 5, 9}, {3, 5, 7}].

winner(B) ->
    case [P || {I, J, K} <- lines(), P <- [element(I, B)], P =/= e, P =:= element(J, B), P =:= element(K, B)] of
        [W | _] -> W;
        [] -> case [I || I <- lists:seq(1, 9), element(I, B) =:= e] of [] -> draw; _ -> none end
    end.

other(x) -> o;
other(o) -> x.

best(B, P) ->
    Moves = [I || I <- lists:seq(1, 9), element(I, B) =:= e],
    Scored = [{-score(setelement(M, B, P), other(P)), M} || M <- Moves],
    {S0, M0} = hd(lists:sort(fun({S1, M1}, {S2, M2}) -> {S1, -M1} >= {S2, -M2} end, Scored)),
    {S0, M0}.

score(B, P) ->
    case winner(B) of
        draw -> 0;
        none -> element(1, best(B, P));
        P -> 1;
        _ -> -1
    end.

play(B, P, Acc) ->
    case winner(B) of
        none -> {_, M} = best(B, P), play(setelement(M, B, P), other(P), [{P, M} | Acc]);
        Result -> {lists:reverse(Acc), Result}
    end.

count_games(B, P) ->
    case winner(B) of
        none -> lists:sum([count_games(setelement(I, B, P), other(P)) || I <- lists:seq(1, 9), element(I, B) =:= e]);
        _ -> 1
    end.
