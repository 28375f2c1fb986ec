-module(bin_match_errors).
-export([main/0]).

main() ->
    io:format("~p~n", [attempt(fun() -> <<X:16>> = <<1>>, X end)]),
    io:format("~p~n", [attempt(fun() -> <<_:8, Y/binary>> = <<1:4>>, Y end)]),
    io:format("~p~n", [attempt(fun() -> <<Z:8/binary>> = <<"short">>, Z end)]),
    io:format("~p~n", [attempt(fun() -> <<(list_to_atom("a")):8>> end)]),
    io:format("~p~n", [attempt(fun() -> S = -1, <<1:S>> end)]),
    io:format("~p~n", [attempt(fun() -> <<1.0:7/float>> end)]),
    io:format("~p~n", [attempt(fun() -> B = <<1:3>>, <<B/binary>> end)]),
    io:format("~p~n", [attempt(fun() -> <<"abc":16>> end)]),
    io:format("~p~n", [attempt(fun() -> <<Len, Rest:Len/binary>> = <<10, "abc">>, Rest end)]),
    io:format("~p~n", [attempt(fun() -> byte_size(not_binary) end)]).

attempt(F) ->
    try F() of
        V -> {ok, V}
    catch
        Class:Reason -> {Class, Reason}
    end.
