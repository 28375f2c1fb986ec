-module(otp_ets_shared_counters).
-export([main/0]).

%% Several processes update counters in one public table.
main() ->
    T = ets:new(counters, [public, set, {write_concurrency, true}]),
    ets:insert(T, [{K, 0} || K <- [a, b, c]]),
    Self = self(),
    [spawn(fun() ->
               [ets:update_counter(T, lists:nth(1 + (I + J) rem 3, [a, b, c]), 1) || J <- lists:seq(1, 1000)],
               Self ! done
           end) || I <- lists:seq(1, 6)],
    [receive done -> ok end || _ <- lists:seq(1, 6)],
    io:format("~p~n", [lists:sort(ets:tab2list(T))]),
    io:format("~p~n", [lists:sum([V || {_, V} <- ets:tab2list(T)])]),
    persistent_term:put({?MODULE, config}, #{mode => fast}),
    io:format("~p~n", [persistent_term:get({?MODULE, config})]),
    io:format("~p~n", [persistent_term:get({?MODULE, missing}, default)]),
    persistent_term:erase({?MODULE, config}),
    io:format("~p~n", [persistent_term:get({?MODULE, config}, gone)]).
