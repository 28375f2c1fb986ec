%% Spawning: N processes, each sends one message to its parent and exits;
%% the parent counts the messages. Peak memory shows the cost of many
%% processes alive at once.
%% vs_erl iterations: 1000000
%% vs_erl schedulers: 1 2
-module(spawn).
-export([main/0, main/1]).

main() ->
    main(["1000"]).

main([Count]) ->
    N = list_to_integer(Count),
    Self = self(),
    spawn_all(N, Self),
    erlang:display(collect(N, 0)).

spawn_all(0, _Parent) ->
    ok;
spawn_all(I, Parent) ->
    spawn(fun() -> Parent ! {done, I} end),
    spawn_all(I - 1, Parent).

collect(0, Sum) ->
    Sum;
collect(N, Sum) ->
    receive
        {done, I} -> collect(N - 1, (Sum + I) band 16#FFFFFFF)
    end.
