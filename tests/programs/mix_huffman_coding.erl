-module(mix_huffman_coding).
-export([main/0]).

main() ->
    Text = "this is an example of a huffman tree built in erlang",
    Freq = lists:sort(maps:to_list(lists:foldl(fun(C, M) -> maps:update_with(C, fun(N) -> N + 1 end, 1, M) end, #{}, Text))),
    Tree = build(lists:sort([{N, C} || {C, N} <- Freq])),
    Codes = lists:sort(codes(Tree, [])),
    [io:format("~p ~s~n", [[C], Code]) || {C, Code} <- Codes],
    Encoded = lists:append([proplists:get_value(C, Codes) || C <- Text]),
    io:format("~w bits (vs ~w)~n", [length(Encoded), 8 * length(Text)]),
    Bits = << <<(B - $0):1>> || B <- Encoded >>,
    io:format("~p~n", [Bits]),
    io:format("~p~n", [decode(Encoded, Tree, Tree) =:= Text]).

build([{_, T}]) -> T;
build([{N1, A}, {N2, B} | Rest]) -> build(lists:sort([{N1 + N2, {A, B}} | Rest])).

codes({L, R}, Prefix) -> codes(L, Prefix ++ "0") ++ codes(R, Prefix ++ "1");
codes(C, Prefix) -> [{C, Prefix}].

decode([], _, _) -> [];
decode(Bits, C, Tree) when is_integer(C) -> [C | decode(Bits, Tree, Tree)];
decode([$0 | Rest], {L, _}, Tree) -> decode_leaf(Rest, L, Tree);
decode([$1 | Rest], {_, R}, Tree) -> decode_leaf(Rest, R, Tree).

decode_leaf(Rest, C, Tree) when is_integer(C) -> [C | decode(Rest, Tree, Tree)];
decode_leaf(Rest, Node, Tree) -> decode(Rest, Node, Tree).
