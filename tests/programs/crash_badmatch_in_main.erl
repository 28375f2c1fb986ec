-module(crash_badmatch_in_main).
-export([main/0]).

main() ->
    Config = #{mode => test},
    io:format("mode ~p~n", [maps:get(mode, Config)]),
    {ok, Value} = lookup(missing, Config),
    io:format("never printed ~p~n", [Value]).

lookup(K, M) ->
    case maps:find(K, M) of
        {ok, V} -> {ok, V};
        error -> {error, not_found}
    end.
