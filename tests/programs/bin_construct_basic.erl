-module(bin_construct_basic).
-export([main/0]).

main() ->
    B = <<1, 2, 3>>,
    io:format("~w ~p ~w~n", [B, B, byte_size(B)]),
    io:format("~p~n", [<<"hello">>]),
    io:format("~p~n", [<<"abc", 0, "def">>]),
    io:format("~p~n", [<<$a, $b, "cd", <<"ef">>/binary>>]),
    io:format("~p~n", [<<>>]),
    io:format("~w~n", [<<256, -1, 1000>>]),
    X = 16#ABCD,
    io:format("~w~n", [<<X:16>>]),
    io:format("~w~n", [<<X:16/little>>]),
    io:format("~w~n", [<<X:8>>]),
    io:format("~w~n", [<<1:1, 0:1, 1:6>>]),
    io:format("~w~n", [binary_to_list(<<"xyz">>)]),
    io:format("~w~n", [list_to_binary([1, 2, [3, <<4, 5>>]])]),
    io:format("~w~n", [binary:copy(<<"ab">>, 3)]),
    io:format("~w~n", [<< <<N>> || N <- lists:seq(1, 5) >>]),
    io:format("~p~n", [<<"émoji"/utf8>>]),
    io:format("~p~n", [split_binary(<<"abcdef">>, 2)]),
    io:format("~p~n", [binary_part(<<"abcdef">>, 1, 3)]),
    io:format("~p~n", [binary_part(<<"abcdef">>, {6, -2})]).
