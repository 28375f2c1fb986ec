%% Ping-pong: N round trips of a message between two processes.
%% vs_erl iterations: 1000000
%% vs_erl schedulers: 1 2
-module(pingpong).
-export([main/0, main/1]).

main() ->
    main(["1000"]).

main([Count]) ->
    N = list_to_integer(Count),
    Pong = spawn(fun pong/0),
    erlang:display(ping(N, Pong, 0)),
    Pong ! stop.

ping(0, _Pong, Acc) ->
    Acc;
ping(N, Pong, Acc) ->
    Pong ! {ping, self(), N},
    receive
        {pong, M} -> ping(N - 1, Pong, (Acc + M) band 16#FFFFFFF)
    end.

pong() ->
    receive
        {ping, From, N} ->
            From ! {pong, N},
            pong();
        stop ->
            ok
    end.
