-module(mix_run_length_encoding).
-export([main/0]).

main() ->
    Inputs = ["aaabccddddde", "", "abc", "zzzzzzzzzzzz", "aabbaabb"],
    lists:foreach(
        fun(S) ->
            E = encode(S),
            io:format("~p -> ~p -> ~p~n", [S, E, decode(E) =:= S])
        end,
        Inputs
    ),
    B = binary:copy(<<1, 1, 1, 2, 3, 3>>, 3),
    EB = encode_bin(B),
    io:format("~w -> ~w~n", [B, EB]),
    io:format("~p~n", [to_string(encode("WWWWWWWWWWWWBWWWWWWWWWWWWBBBWWWWWWWWWWWWWWWWWWWWWWWWBWWWWWWWWWWWWWW"))]).

encode([]) -> [];
encode([C | T]) -> encode(T, C, 1, []).
encode([C | T], C, N, Acc) -> encode(T, C, N + 1, Acc);
encode([D | T], C, N, Acc) -> encode(T, D, 1, [{N, C} | Acc]);
encode([], C, N, Acc) -> lists:reverse([{N, C} | Acc]).

decode(E) -> lists:append([lists:duplicate(N, C) || {N, C} <- E]).

encode_bin(<<>>) -> <<>>;
encode_bin(<<X, Rest/binary>>) -> run(Rest, X, 1, <<>>).
run(<<X, Rest/binary>>, X, N, Acc) when N < 255 -> run(Rest, X, N + 1, Acc);
run(<<Y, Rest/binary>>, X, N, Acc) -> run(Rest, Y, 1, <<Acc/binary, N, X>>);
run(<<>>, X, N, Acc) -> <<Acc/binary, N, X>>.

to_string(E) -> lists:append([integer_to_list(N) ++ [C] || {N, C} <- E]).
