-module(mix_anagram_groups).
-export([main/0]).

main() ->
    Words = ["listen", "silent", "enlist", "google", "gooegl", "cat", "act", "tac", "dog", "god", "odg", "bird"],
    Groups = lists:foldl(fun(W, M) -> maps:update_with(lists:sort(W), fun(L) -> [W | L] end, [W], M) end, #{}, Words),
    Sorted = lists:sort([lists:sort(G) || G <- maps:values(Groups)]),
    [io:format("~p~n", [G]) || G <- Sorted],
    io:format("~p~n", [is_anagram("Dormitory", "Dirty room")]),
    io:format("~p~n", [lists:sort(permutations("abc"))]),
    io:format("~p~n", [length(permutations("abcdef"))]).

is_anagram(A, B) -> norm(A) =:= norm(B).
norm(S) -> lists:sort([C || C <- string:lowercase(S), C =/= $\s]).

permutations([]) -> [[]];
permutations(L) -> [[H | T] || H <- L, T <- permutations(L -- [H])].
