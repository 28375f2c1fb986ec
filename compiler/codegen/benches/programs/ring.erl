%% A ring of 10,000 processes passing a token N times from one to the next.
%% vs_erl iterations: 1000000
%% vs_erl schedulers: 1 2
-module(ring).
-export([main/0, main/1]).

-define(SIZE, 10000).

main() ->
    main(["1000"]).

main([Count]) ->
    Hops = list_to_integer(Count),
    Self = self(),
    First = spawn(fun() -> first(Self) end),
    First ! {token, Hops},
    receive
        {done, Seen} -> erlang:display(Seen)
    end.

first(Main) ->
    Next = build(?SIZE - 1, self(), Main),
    relay(Next, Main, 0).

build(0, Next, _Main) ->
    Next;
build(I, Next, Main) ->
    build(I - 1, spawn(fun() -> relay(Next, Main, 0) end), Main).

relay(Next, Main, Seen) ->
    receive
        {token, 0} ->
            Main ! {done, Seen + 1},
            stop_all(Next);
        {token, K} ->
            Next ! {token, K - 1},
            relay(Next, Main, Seen + 1);
        stop ->
            Next ! stop
    end.

stop_all(Next) ->
    Next ! stop.
