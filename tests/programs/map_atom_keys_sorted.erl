-module(map_atom_keys_sorted).
-export([main/0]).

%% Over 32 atom keys the iteration order follows the atom table, which can
%% differ between runs: show such maps only through sorted views.
main() ->
    Names = [alpha, bravo, charlie, delta, echo, foxtrot, golf, hotel, india, juliett,
             kilo, lima, mike, november, oscar, papa, quebec, romeo, sierra, tango,
             uniform, victor, whiskey, xray, yankee, zulu, one, two, three, four,
             five, six, seven, eight, nine, ten],
    M = maps:from_list(lists:zip(Names, lists:seq(1, length(Names)))),
    io:format("~w keys~n", [map_size(M)]),
    io:format("~p~n", [lists:sort(maps:to_list(M))]),
    io:format("~p~n", [lists:sort(maps:keys(M))]),
    io:format("~w~n", [lists:sum(maps:values(M))]),
    io:format("~w ~w~n", [maps:get(zulu, M), maps:get(ten, M)]),
    M2 = maps:map(fun(K, V) -> {K, V * 10} end, M),
    io:format("~p~n", [lists:sublist(lists:sort(maps:values(M2)), 5)]),
    Small = maps:with([alpha, echo, zulu], M),
    io:format("~p~n", [Small]),
    io:format("~w~n", [maps:fold(fun(_, V, Acc) -> V + Acc end, 0, M)]),
    io:format("~w~n", [M =:= maps:from_list(lists:reverse(maps:to_list(M)))]).
