-module(guard_records_maps).
-export([main/0]).

-record(user, {name, age, admin = false}).

main() ->
    Us = [#user{name = "a", age = 17}, #user{name = "b", age = 30, admin = true},
          #user{name = "c", age = 65}, #{name => "d", age => 40}, {user, "e"}],
    [io:format("~p~n", [role(U)]) || U <- Us],
    io:format("~p~n", [[N || #user{name = N, age = A} <- Us, A >= 18]]),
    io:format("~p~n", [[K || #{age := A} = M <- Us, is_map_key(name, M), K <- [A]]]).

role(#user{admin = true, name = N}) -> {admin, N};
role(#user{age = A} = U) when A < 18 -> {minor, U#user.name};
role(U) when is_record(U, user), U#user.age >= 65 -> {senior, U#user.name};
role(#user{name = N}) -> {adult, N};
role(#{age := A, name := N}) when is_integer(A), A > 0 -> {map_user, N};
role(Other) -> {unknown, Other}.
