-module(bin_checksums).
-export([main/0]).

main() ->
    Data = <<"The quick brown fox jumps over the lazy dog">>,
    io:format("~w~n", [erlang:crc32(Data)]),
    io:format("~w~n", [erlang:crc32(<<>>)]),
    io:format("~w~n", [erlang:crc32(erlang:crc32(<<"The quick ">>), <<"brown fox jumps over the lazy dog">>)]),
    io:format("~w~n", [erlang:adler32(Data)]),
    io:format("~w~n", [erlang:md5(Data)]),
    io:format("~s~n", [[io_lib:format("~2.16.0b", [B]) || <<B>> <= erlang:md5(<<>>)]]),
    io:format("~w~n", [erlang:phash2(Data)]),
    io:format("~w~n", [erlang:phash2({a, [1, 2], <<"x">>}, 1000)]),
    io:format("~w~n", [erlang:phash2(12345)]),
    io:format("~w~n", [erlang:phash2(1.5)]),
    io:format("~w~n", [erlang:phash2(#{a => 1})]),
    Ctx = lists:foldl(fun(Chunk, C) -> erlang:md5_update(C, Chunk) end, erlang:md5_init(), [<<"ab">>, <<"c">>]),
    io:format("~w~n", [erlang:md5_final(Ctx) =:= erlang:md5(<<"abc">>)]).
