-module(sys_misc_bifs).
-export([main/0]).

%% BIFs about the system and the clock whose values change from run to
%% run: what must hold of them.
main() ->
    erlang:display({garbage_collect, erlang:garbage_collect(), erlang:garbage_collect(self())}),
    Dead = spawn(fun() -> ok end),
    timer:sleep(10),
    erlang:display({garbage_collect_dead, erlang:garbage_collect(Dead)}),
    erlang:display({bump_reductions, erlang:bump_reductions(100)}),
    U1 = erlang:unique_integer([positive, monotonic]),
    U2 = erlang:unique_integer([positive, monotonic]),
    U3 = erlang:unique_integer(),
    erlang:display({unique_integer, U2 > U1, U1 > 0, is_integer(U3)}),
    erlang:display({unique_integer_badarg, catch_error(fun() -> erlang:unique_integer([bad]) end)}),
    Self = self(),
    Ps = erlang:processes(),
    erlang:display({processes, lists:member(Self, Ps), lists:all(fun is_pid/1, Ps),
                    lists:sort(Ps) =:= Ps}),
    erlang:display({ports, is_list(erlang:ports())}),
    erlang:display({module_loaded, erlang:module_loaded(?MODULE), erlang:module_loaded(lists),
                    erlang:module_loaded(no_such_module_here)}),
    erlang:display({loaded, lists:member(?MODULE, erlang:loaded())}),
    {{Y, Mo, D}, {H, Mi, S}} = erlang:localtime(),
    {{UY, _, _}, _} = erlang:universaltime(),
    erlang:display({localtime, Y >= 2024, Mo >= 1, Mo =< 12, D >= 1, D =< 31, H < 24, Mi < 60,
                    S < 61, abs(UY - Y) =< 1}),
    erlang:display({calendar, calendar:valid_date(date()), element(1, time()) < 24,
                    is_tuple(calendar:local_time())}),
    N1 = erlang:now(),
    N2 = erlang:now(),
    erlang:display({now, N2 > N1, tuple_size(N1)}),
    erlang:display({os_type, os:type(), erlang:system_info(os_type)}),
    ok.

catch_error(F) ->
    try F() catch error:R -> R end.
