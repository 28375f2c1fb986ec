-module(bin_print_forms).
-export([main/0]).

main() ->
    Bins = [<<"printable text">>, <<1, 2, 3>>, <<"mixed", 0>>, <<"tab\there\n">>,
            <<"quote\"s">>, <<233, 224>>, <<"é"/utf8>>, <<1:4>>, <<"ab", 1:2>>, <<>>,
            binary:copy(<<"x">>, 100), <<"back\\slash">>, <<127>>, <<27, "[0m">>],
    lists:foreach(fun(B) -> io:format("~p | ~w~n", [B, B]) end, Bins),
    io:format("~s|~n", [<<"as string">>]),
    io:format("~tp~n", [<<"é"/utf8>>]),
    io:format("~p~n", [[<<"in">>, <<"a">>, <<"list">>]]),
    io:format("~p~n", [{<<"tuple">>, <<0>>}]),
    io:format("~s~n", [[<<"io">>, "list", <<$!>>]]),
    io:format("~p~n", [binary:copy(<<"long line of binary text ">>, 5)]).
