-module(list_append_reverse).
-export([main/0]).

%% `++`, `lists:reverse/2` and `length/1` on short, long, empty and
%% improper lists, and with any term as the tail.
main() ->
    erlang:display([1, 2] ++ [3]),
    erlang:display([] ++ foo),
    erlang:display([a] ++ foo),
    erlang:display([a, b] ++ [c | d]),
    erlang:display("abc" ++ <<"bin">>),
    erlang:display(lists:reverse([1, 2, 3], [x | y])),
    erlang:display(lists:reverse([], tail)),
    erlang:display(length([])),
    Long = lists:seq(1, 100000),
    L2 = Long ++ Long,
    erlang:display({length(L2), hd(L2), lists:last(L2), lists:nth(100001, L2)}),
    R = lists:reverse(Long, [0]),
    erlang:display({length(R), hd(R), lists:last(R)}),
    %% The copy shares nothing with the original's cells but the tail.
    T = [tail],
    C = [1, 2, 3] ++ T,
    erlang:display(lists:nthtail(3, C) =:= T),
    [erlang:display(reason(catch F())) || F <- [fun() -> [a | b] ++ [c] end,
                                                fun() -> foo ++ [c] end,
                                                fun() -> lists:reverse([a | b], []) end,
                                                fun() -> lists:reverse(foo, []) end,
                                                fun() -> length([a | b]) end,
                                                fun() -> length(foo) end]],
    ok.

reason({'EXIT', {Reason, [{M, F, Args, _} | _]}}) -> {Reason, M, F, Args}.
