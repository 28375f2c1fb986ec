-module(rec_deep_nontail_million).
-export([main/0]).

%% A million frames of body recursion: the Erlang stack must grow on demand.
main() ->
    L = lists:seq(1, 1000000),
    io:format("sum ~w~n", [sum(L)]),
    io:format("depth ~w~n", [depth(1000000)]),
    Doubled = double(L),
    io:format("doubled length ~w, last ~w~n", [length(Doubled), lists:last(Doubled)]),
    io:format("again ~w~n", [sum(double(lists:seq(1, 1000000)))]).

sum([]) -> 0;
sum([H | T]) -> H + sum(T).

depth(0) -> 0;
depth(N) -> 1 + depth(N - 1).

double([]) -> [];
double([H | T]) -> [2 * H | double(T)].
