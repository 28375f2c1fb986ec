-module(string_word_count).
-export([main/0]).

main() ->
    Text = "the quick brown fox jumps over the lazy dog the fox barks and the dog sleeps "
           "while a quick cat watches the brown dog and the lazy fox",
    Words = string:lexemes(Text, " "),
    Counts = lists:foldl(fun(W, M) -> maps:update_with(W, fun(C) -> C + 1 end, 1, M) end, #{}, Words),
    Sorted = lists:sort(fun({A, CA}, {B, CB}) -> {CB, A} =< {CA, B} end, maps:to_list(Counts)),
    lists:foreach(fun({W, C}) -> io:format("~-8s ~w~n", [W, C]) end, Sorted),
    io:format("distinct: ~w total: ~w~n", [map_size(Counts), length(Words)]),
    Longest = lists:foldl(fun(W, Best) when length(W) > length(Best) -> W; (_, Best) -> Best end, "", Words),
    io:format("longest: ~s~n", [Longest]).
