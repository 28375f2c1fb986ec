-module(string_padding_justify).
-export([main/0]).

main() ->
    Words = ["a", "bb", "ccc", "dddd"],
    [io:format("[~ts][~ts][~ts]~n", [string:pad(W, 6), string:pad(W, 6, leading), string:pad(W, 6, both, $*)]) || W <- Words],
    io:format("~p~n", [wrap("the quick brown fox jumps over the lazy dog and keeps on running far away", 20)]),
    [io:format("~s~n", [L]) || L <- wrap("the quick brown fox jumps over the lazy dog and keeps on running far away", 20)],
    io:format("~p~n", [string:pad(<<"bin">>, 5, trailing, $.)]),
    io:format("~p~n", [lists:flatten(string:pad("x", 3))]),
    io:format("~s|~n", [string:left("left", 8, $_)]),
    io:format("~s|~n", [string:right("right", 8, $_)]).

wrap(Text, Width) ->
    {Lines, Last} = lists:foldl(
        fun(W, {Acc, ""}) -> {Acc, W};
           (W, {Acc, Cur}) when length(Cur) + 1 + length(W) =< Width -> {Acc, Cur ++ " " ++ W};
           (W, {Acc, Cur}) -> {[Cur | Acc], W}
        end, {[], ""}, string:lexemes(Text, " ")),
    lists:reverse([Last | Lines]).
