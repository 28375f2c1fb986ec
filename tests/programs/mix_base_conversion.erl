-module(mix_base_conversion).
-export([main/0]).

main() ->
    Ns = [0, 1, 255, 1000, 65535, 123456789, 1 bsl 64],
    [io:format("~w: ~s ~s ~s ~s~n", [N, to_base(N, 2), to_base(N, 7), to_base(N, 16), to_base(N, 36)]) || N <- Ns],
    io:format("~w~n", [lists:all(fun(N) -> from_base(to_base(N, 13), 13) =:= N end, lists:seq(0, 5000))]),
    io:format("~w~n", [[from_base(S, B) || {S, B} <- [{"ff", 16}, {"777", 8}, {"zz", 36}, {"101010", 2}]]]),
    io:format("~s~n", [to_base(fact(25), 36)]).

to_base(0, _) -> "0";
to_base(N, B) -> to_base(N, B, []).
to_base(0, _, Acc) -> Acc;
to_base(N, B, Acc) -> to_base(N div B, B, [digit(N rem B) | Acc]).

digit(D) when D < 10 -> $0 + D;
digit(D) -> $a + D - 10.

from_base(S, B) -> lists:foldl(fun(C, Acc) -> Acc * B + value(C) end, 0, S).

value(C) when C >= $0, C =< $9 -> C - $0;
value(C) -> C - $a + 10.

fact(0) -> 1;
fact(N) -> N * fact(N - 1).
