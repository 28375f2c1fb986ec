-module(proc_info_gc).
-export([main/0]).

%% process_info(P, garbage_collection): BEAM's items in BEAM's order, the
%% settings a process was spawned with (minor_gcs depends on the collector's
%% history and is only checked for being a count).
main() ->
    Self = self(),
    show(process_info(self(), garbage_collection)),
    P = spawn_opt(fun() -> receive stop -> ok end end,
                  [{min_heap_size, 1000}, {fullsweep_after, 7}]),
    show(process_info(P, garbage_collection)),
    Q = spawn(fun() -> Self ! {self(), process_info(self(), [garbage_collection, heap_size])}, receive stop -> ok end end),
    receive
        {Q, [{garbage_collection, GC}, {heap_size, H}]} ->
            show({garbage_collection, GC}),
            erlang:display({heap_size, is_integer(H)})
    end,
    P ! stop,
    Q ! stop,
    ok.

show({garbage_collection, Items}) ->
    erlang:display([case Item of
                        {minor_gcs, N} -> {minor_gcs, is_integer(N) andalso N >= 0};
                        Other -> Other
                    end || Item <- Items]).
