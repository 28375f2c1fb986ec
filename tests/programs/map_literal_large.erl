%% A map literal of 40 keys (BEAM's hash trie, not a flat map), compared with
%% the same map built at run time, and keys 1 and 1.0 kept apart.
-module(map_literal_large).
-export([main/0]).

main() ->
    M = #{k0 => 0, k1 => 1, k2 => 2, k3 => 3, k4 => 4, k5 => 5, k6 => 6, k7 => 7,
          k8 => 8, k9 => 9, k10 => 10, k11 => 11, k12 => 12, k13 => 13, k14 => 14, k15 => 15,
          k16 => 16, k17 => 17, k18 => 18, k19 => 19, k20 => 20, k21 => 21, k22 => 22, k23 => 23,
          k24 => 24, k25 => 25, k26 => 26, k27 => 27, k28 => 28, k29 => 29, k30 => 30, k31 => 31,
          k32 => 32, k33 => 33, k34 => 34, k35 => 35, k36 => 36, k37 => 37, k38 => 38, k39 => 39},
    erlang:display(maps:get(k33, M)),
    erlang:display(map_size(M)),
    Built = maps:from_list([{list_to_atom("k" ++ integer_to_list(I)), I} || I <- lists:seq(0, 39)]),
    erlang:display(M =:= Built),
    erlang:display(maps:keys(#{1 => a, 1.0 => b})).
