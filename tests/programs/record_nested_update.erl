-module(record_nested_update).
-export([main/0]).

-record(point, {x = 0, y = 0}).
-record(rect, {top_left = #point{}, bottom_right = #point{x = 1, y = 1}, label = <<"r">>}).

main() ->
    R = #rect{},
    io:format("~p~n", [R]),
    R2 = R#rect{bottom_right = (R#rect.bottom_right)#point{x = 10}},
    io:format("~p~n", [R2]),
    io:format("~p~n", [area(R2)]),
    Moved = move(R2, 5, -3),
    io:format("~p~n", [Moved]),
    io:format("~p~n", [(Moved#rect.top_left)#point.y]),
    Rs = [#rect{bottom_right = #point{x = N, y = N * 2}} || N <- lists:seq(1, 5)],
    io:format("~p~n", [[area(X) || X <- Rs]]),
    io:format("~p~n", [try (R#rect.label)#point.x catch error:E -> E end]).

area(#rect{top_left = #point{x = X1, y = Y1}, bottom_right = #point{x = X2, y = Y2}}) ->
    abs(X2 - X1) * abs(Y2 - Y1).

move(#rect{top_left = TL, bottom_right = BR} = R, DX, DY) ->
    R#rect{top_left = shift(TL, DX, DY), bottom_right = shift(BR, DX, DY)}.

shift(#point{x = X, y = Y} = P, DX, DY) -> P#point{x = X + DX, y = Y + DY}.
