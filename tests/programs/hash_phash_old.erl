%% erlang:phash/2 (BEAM's older hash, behind sets and dict) over every kind of term, and a set built on it.
-module(hash_phash_old).
-export([main/0]).
main() ->
    Ts = [0, 1, -1, 255, 256, 1 bsl 32, -(1 bsl 40), 1 bsl 59, 1 bsl 60, -(1 bsl 64), 1 bsl 100, 1.5, 0.0, -0.0, 3.14159,
          [], "abc", [1,2,3], [300, 1], [a|b], "ab" ++ [x], {}, {a, b}, {1, {2, "x"}}, <<>>, <<1,2,3>>, <<1:3>>, <<7, 3:5>>,
          a, 'hello world', '', #{}, #{a => 1}, fun lists:map/2, [[1],[2]], "\x{ff}\x{100}"],
    io:format("~w~n", [[erlang:phash(T, 1 bsl 32) || T <- Ts]]),
    io:format("~w~n", [[erlang:phash(T, 17) || T <- Ts]]),
    io:format("~p~n", [sets:to_list(sets:from_list([c, a, b, {x, 1}, 42, "str", 3.5]))]).
