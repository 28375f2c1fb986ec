-module(mix_roman_numerals).
-export([main/0]).

main() ->
    Ns = [1, 4, 9, 14, 40, 90, 400, 1994, 2024, 3999],
    [io:format("~4w ~-12s ~w~n", [N, to_roman(N), from_roman(to_roman(N))]) || N <- Ns],
    io:format("~w~n", [lists:all(fun(N) -> from_roman(to_roman(N)) =:= N end, lists:seq(1, 3999))]).

-define(TABLE, [{1000, "M"}, {900, "CM"}, {500, "D"}, {400, "CD"}, {100, "C"}, {90, "XC"},
                {50, "L"}, {40, "XL"}, {10, "X"}, {9, "IX"}, {5, "V"}, {4, "IV"}, {1, "I"}]).

to_roman(0) -> "";
to_roman(N) ->
    {V, S} = hd([P || {V0, _} = P <- ?TABLE, V0 =< N]),
    S ++ to_roman(N - V).

from_roman(S) -> from_roman(S, ?TABLE, 0).
from_roman("", _, Acc) -> Acc;
from_roman(S, [{V, R} | T] = Table, Acc) ->
    case lists:prefix(R, S) of
        true -> from_roman(lists:nthtail(length(R), S), Table, Acc + V);
        false -> from_roman(S, T, Acc)
    end.
