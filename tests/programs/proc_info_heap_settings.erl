-module(proc_info_heap_settings).
-export([main/0]).

%% Heap settings of the first process and of spawned ones, as
%% process_info/2 reads them back. (The first process's heap size itself
%% depends on what erl did before it ran the program.)
main() ->
    erlang:display(process_info(self(), [min_heap_size, min_bin_vheap_size,
                                         fullsweep_after])),
    Self = self(),
    P = spawn(fun() ->
                  receive go -> Self ! {self(), process_info(self(), [heap_size, min_heap_size])} end
              end),
    P ! go,
    receive {P, Info} -> erlang:display(Info) end,
    Q = spawn_opt(fun() ->
                      receive go -> Self ! {self(), process_info(self(), [heap_size, min_heap_size, fullsweep_after])} end
                  end, [{min_heap_size, 1000}, {fullsweep_after, 3}]),
    Q ! go,
    receive {Q, QInfo} -> erlang:display(QInfo) end.
