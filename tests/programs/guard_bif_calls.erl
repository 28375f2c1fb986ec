-module(guard_bif_calls).
-export([main/0]).

main() ->
    Tests = [[1, 2, 3], {a, b}, <<"hello">>, #{x => 1, y => 2}, -7, 2.5, "", {x, y, z}, [a]],
    [io:format("~p -> ~p~n", [T, check(T)]) || T <- Tests],
    io:format("~p~n", [[X || X <- lists:seq(-3, 3), abs(X) > 1]]),
    io:format("~p~n", [[T || T <- [{1}, {1, 2}, {1, 2, 3}], tuple_size(T) >= 2]]),
    io:format("~p~n", [[F || F <- [1.5, 2.0, 3.7], trunc(F) == F]]),
    io:format("~p~n", [[B || B <- [<<1>>, <<1, 2>>, <<1:4>>], bit_size(B) rem 8 =:= 0]]).

check(L) when length(L) > 2, hd(L) =:= 1 -> long_list_starting_with_one;
check(L) when is_list(L), length(L) =:= 1 -> singleton;
check(T) when tuple_size(T) =:= 2, element(1, T) =:= a -> pair_starting_with_a;
check(B) when byte_size(B) > 3 -> long_binary;
check(M) when map_size(M) > 1, is_map_key(x, M) -> map_with_x;
check(N) when is_integer(N), N rem 2 =/= 0, -N > 5 -> odd_negative_big;
check(F) when is_float(F), round(F) =:= 3 -> rounds_to_three;
check(L) when L =:= [] -> empty;
check(T) when is_tuple(T), size(T) =:= 3 -> triple;
check(_) -> other.
