-module(string_iolist_build).
-export([main/0]).

main() ->
    IO = ["abc", [$d, <<"ef">>], [[[<<"g">>]]], 104, <<>>, []],
    io:format("~p~n", [iolist_to_binary(IO)]),
    io:format("~w~n", [iolist_size(IO)]),
    io:format("~s~n", [IO]),
    io:put_chars(IO),
    io:nl(),
    Table = [[pad(Name, 8), " | ", integer_to_list(N), "\n"] || {Name, N} <- [{"alpha", 1}, {"beta", 22}, {"gamma", 333}]],
    io:put_chars(Table),
    io:format("~p~n", [try iolist_to_binary([256]) catch error:R -> R end]),
    io:format("~p~n", [try iolist_size([a]) catch error:R2 -> R2 end]),
    io:format("~p~n", [list_to_binary([<<"x">>, "yz", [[49]]])]),
    Big = lists:duplicate(1000, ["ab", <<"cd">>]),
    io:format("~w~n", [byte_size(iolist_to_binary(Big))]).

pad(S, N) when length(S) >= N -> S;
pad(S, N) -> pad(S ++ " ", N).
