-module(mix_mapreduce_words).
-export([main/0]).

%% Map-reduce over text chunks with one mapper process per chunk.
main() ->
    Chunks = ["the rain in spain falls mainly on the plain",
              "in the beginning was the word and the word was erlang",
              "processes send messages and the messages are copied",
              "the end"],
    Self = self(),
    Refs = [begin
                R = make_ref(),
                spawn(fun() -> Self ! {R, count(Chunk)} end),
                R
            end || Chunk <- Chunks],
    Partials = [receive {R, Counts} -> Counts end || R <- Refs],
    Total = lists:foldl(fun(M, Acc) -> maps:fold(fun(W, N, A) -> maps:update_with(W, fun(X) -> X + N end, N, A) end, Acc, M) end, #{}, Partials),
    Top = lists:sublist(lists:sort(fun({A, NA}, {B, NB}) -> {NB, A} =< {NA, B} end, maps:to_list(Total)), 6),
    [io:format("~-10s ~w~n", [W, N]) || {W, N} <- Top],
    io:format("~w distinct words~n", [map_size(Total)]).

count(Text) ->
    lists:foldl(fun(W, M) -> maps:update_with(W, fun(N) -> N + 1 end, 1, M) end, #{}, string:lexemes(Text, " ")).
