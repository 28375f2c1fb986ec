-module(bin_comprehensions).
-export([main/0]).

main() ->
    B = <<1, 2, 3, 4, 5, 6>>,
    io:format("~w~n", [<< <<(X * 2)>> || <<X>> <= B >>]),
    io:format("~w~n", [<< <<X>> || <<X>> <= B, X rem 2 =:= 0 >>]),
    io:format("~w~n", [[X + Y || <<X, Y>> <= B]]),
    io:format("~w~n", [<< <<X:16>> || X <- [1, 256, 65535] >>]),
    io:format("~p~n", [<< <<(C - 32)>> || <<C>> <= <<"shout">> >>]),
    io:format("~w~n", [<< <<X:4, Y:4>> || <<X:4, Y:4>> <= <<16#AB, 16#CD>> >>]),
    io:format("~w~n", [<< <<Y:4, X:4>> || <<X:4, Y:4>> <= <<16#AB, 16#CD>> >>]),
    io:format("~w~n", [[{X, Y} || <<X:2, Y:6>> <= <<255, 64>>]]),
    io:format("~p~n", [<< <<W/binary, ",">> || W <- [<<"a">>, <<"bb">>, <<"ccc">>] >>]),
    io:format("~w~n", [<< <<B2:1>> || <<B2:1>> <= <<2#11001010>>, B2 =:= 1 >>]),
    Hex = << <<(hex(N))>> || <<N:4>> <= <<"Hi!">> >>,
    io:format("~p~n", [Hex]),
    io:format("~w~n", [<< <<X, Y>> || X <- [1, 2], Y <- [3, 4] >>]),
    io:format("~w~n", [[X || <<X:3>> <= <<1:1, 255>>]]).

hex(N) when N < 10 -> $0 + N;
hex(N) -> $a + N - 10.
