-module(mix_json_encoder).
-export([main/0]).

%% A small JSON encoder over maps, lists, binaries, numbers and atoms.
main() ->
    Doc = #{<<"name">> => <<"Coral">>, <<"version">> => 1, <<"ratio">> => 0.75,
            <<"tags">> => [<<"compiler">>, <<"erlang">>], <<"nested">> => #{<<"ok">> => true, <<"none">> => null},
            <<"escape">> => <<"quote\" backslash\\ newline\n tab\t">>, <<"empty">> => [], <<"neg">> => -42},
    Json = iolist_to_binary(encode(Doc)),
    io:format("~s~n", [Json]),
    io:format("~w bytes~n", [byte_size(Json)]),
    io:format("~s~n", [encode([1, 2.5, <<"x">>, false, #{}])]).

encode(M) when is_map(M) ->
    Pairs = [[encode(K), $:, encode(V)] || {K, V} <- lists:sort(maps:to_list(M))],
    [${, lists:join($,, Pairs), $}];
encode(L) when is_list(L) -> [$[, lists:join($,, [encode(X) || X <- L]), $]];
encode(B) when is_binary(B) -> [$", escape(B), $"];
encode(true) -> <<"true">>;
encode(false) -> <<"false">>;
encode(null) -> <<"null">>;
encode(N) when is_integer(N) -> integer_to_binary(N);
encode(F) when is_float(F) -> float_to_binary(F, [short]).

escape(B) -> [esc(C) || <<C>> <= B].
esc($") -> <<"\\\"">>;
esc($\\) -> <<"\\\\">>;
esc($\n) -> <<"\\n">>;
esc($\t) -> <<"\\t">>;
esc(C) -> C.
