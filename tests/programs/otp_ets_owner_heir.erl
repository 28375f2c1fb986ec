-module(otp_ets_owner_heir).
-export([main/0]).

%% A table dies with its owner unless it has an heir.
main() ->
    Self = self(),
    Owner = spawn(fun() ->
        T = ets:new(owned, [public]),
        H = ets:new(inherited, [public, {heir, Self, gift}]),
        ets:insert(T, {a, 1}),
        ets:insert(H, {b, 2}),
        Self ! {tables, T, H},
        receive stop -> ok end
    end),
    {T, H} = receive {tables, T0, H0} -> {T0, H0} end,
    io:format("~p ~p~n", [ets:lookup(T, a), ets:lookup(H, b)]),
    Ref = monitor(process, Owner),
    Owner ! stop,
    receive {'DOWN', Ref, _, _, _} -> ok end,
    receive {'ETS-TRANSFER', H, Owner, gift} -> io:format("inherited the table~n") end,
    io:format("~p~n", [ets:info(T, size)]),
    io:format("~p~n", [ets:lookup(H, b)]),
    io:format("~p~n", [ets:info(H, owner) =:= Self]),
    New = spawn(fun() -> receive {'ETS-TRANSFER', Tab, _, Data} -> Self ! {got, ets:lookup(Tab, b), Data} end end),
    ets:give_away(H, New, handed_over),
    receive {got, Rows, Data} -> io:format("~p ~p~n", [Rows, Data]) end.
