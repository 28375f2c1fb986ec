-module(display_maps_small).
-export([main/0]).

main() ->
    erlang:display(#{}),
    erlang:display(#{a => 1, b => 2}),
    erlang:display(#{1 => one, 2 => two, 3 => three}),
    erlang:display(#{"k" => [1], {t} => #{inner => true}}),
    erlang:display(maps:put(z, 26, #{a => 1})),
    erlang:display(maps:from_list([{N, N * N} || N <- lists:seq(1, 20)])).
