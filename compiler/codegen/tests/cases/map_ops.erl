%% Maps: construction, update with => and :=, matching in heads and
%% guards, BIFs on maps, badkey and badmap.
-module(map_ops).
-export([main/0]).

main() ->
    M = #{a => 1, b => 2},
    erlang:display(M),
    M2 = M#{c => 3, a := 10},
    erlang:display(M2),
    erlang:display(lookup(M2)),
    erlang:display(lookup(#{x => 1})),
    erlang:display(lookup(not_a_map)),
    erlang:display(map_size(M2)),
    erlang:display(maps:get(b, M2)),
    erlang:display(is_map_key(c, M2)),
    erlang:display(reason(catch M#{z := 1})),
    erlang:display(reason(catch (id(nomap))#{a => 1})),
    erlang:display(count(#{}, 40)),
    erlang:display(#{{k, 1} => [v], 1 => one, 1.0 => float_one}).

lookup(#{a := A, c := C}) when A > 5 -> {big, A, C};
lookup(#{x := X}) -> {x, X};
lookup(_) -> none.

count(M, 0) -> map_size(M);
count(M, N) -> count(M#{N => N * N}, N - 1).

id(X) -> X.

reason({'EXIT', {R, _Stack}}) -> R.
