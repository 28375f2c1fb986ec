-module(map_syntax_match).
-export([main/0]).

main() ->
    M = #{name => "Grace", lang => cobol, year => 1959},
    #{name := Name, year := Y} = M,
    io:format("~s ~w~n", [Name, Y]),
    M2 = M#{year := 1960, born => 1906},
    io:format("~p~n", [M2]),
    io:format("~p~n", [try M#{missing := 1} catch error:E -> E end]),
    io:format("~p~n", [classify(#{type => circle, r => 2})]),
    io:format("~p~n", [classify(#{type => rect, w => 2, h => 5})]),
    io:format("~p~n", [classify(#{type => blob})]),
    io:format("~p~n", [classify(#{})]),
    Key = lang,
    #{Key := L} = M,
    io:format("~p~n", [L]),
    io:format("~p~n", [[V || #{v := V} <- [#{v => 1}, #{w => 2}, #{v => 3, x => 0}]]]),
    io:format("~p~n", [case M of #{lang := cobol} -> old; _ -> new end]),
    io:format("~p~n", [try (fun(#{a := A}) -> A end)(#{b => 1}) catch error:E2 -> E2 end]),
    Empty = #{},
    io:format("~p~n", [case M of Empty -> matches_any_map; _ -> no end]).

classify(#{type := circle, r := R}) -> {circle, 3 * R * R};
classify(#{type := rect, w := W, h := H}) -> {rect, W * H};
classify(#{type := T}) -> {unknown, T};
classify(_) -> no_type.
