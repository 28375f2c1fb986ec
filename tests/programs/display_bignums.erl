-module(display_bignums).
-export([main/0]).

main() ->
    erlang:display(1 bsl 64),
    erlang:display(-(1 bsl 64)),
    erlang:display(1 bsl 200),
    erlang:display(fact(30)),
    erlang:display((1 bsl 59) - 1),
    erlang:display(1 bsl 59),
    erlang:display(-(1 bsl 59)),
    erlang:display([1 bsl 60, 1 bsl 61]),
    erlang:display({big, 123456789012345678901234567890}).

fact(0) -> 1;
fact(N) -> N * fact(N - 1).
