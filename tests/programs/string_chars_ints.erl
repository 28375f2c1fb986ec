-module(string_chars_ints).
-export([main/0]).

main() ->
    S = "Erlang",
    io:format("~w~n", [S]),
    io:format("~p~n", [S]),
    io:format("~w ~w ~w~n", [$a, $Z, $\n]),
    io:format("~p~n", [[C + 1 || C <- "HAL"]]),
    io:format("~p~n", [caesar("attack at dawn", 3)]),
    io:format("~p~n", [caesar(caesar("attack at dawn", 3), 23)]),
    io:format("~p~n", [[$a, $b, 0]]),
    io:format("~p~n", ["tab\tand\\backslash\"quote"]),
    io:format("~p~n", [[7, 8, 9, 10, 11, 12, 13, 27]]),
    io:format("~p~n", [[127]]),
    io:format("~p~n", [[160, 200, 255]]),
    io:format("~p~n", [[256]]),
    io:format("~p~n", [lists:seq($a, $z)]),
    io:format("~w~n", [is_palindrome("racecar")]),
    io:format("~w~n", [is_palindrome("erlang")]),
    io:format("~p~n", [string:to_upper(S) ++ " " ++ lists:reverse(S)]),
    io:format("~p~n", [[X || X <- "a1b2c3", X >= $0, X =< $9]]),
    io:format("~w~n", [list_to_integer([X || X <- "a1b2c3", X >= $0, X =< $9])]).

caesar(S, K) ->
    [if
         C >= $a, C =< $z -> $a + (C - $a + K) rem 26;
         true -> C
     end || C <- S].

is_palindrome(S) -> S =:= lists:reverse(S).
