-module(proc_pubsub_broker).
-export([main/0]).

%% A broker delivering published messages to subscribers of each topic.
main() ->
    Broker = spawn(fun() -> broker(#{}) end),
    Self = self(),
    Subs = [{Name, spawn(fun() -> subscriber(Name, Self, []) end)} || Name <- [s1, s2, s3]],
    Sub = fun(Name, Topic) -> Broker ! {subscribe, Topic, proplists:get_value(Name, Subs), self()}, receive subscribed -> ok end end,
    Sub(s1, news), Sub(s2, news), Sub(s2, sport), Sub(s3, sport), Sub(s3, weather),
    [begin Broker ! {publish, T, M, self()}, receive {delivered, N} -> io:format("~p/~p -> ~p subscribers~n", [T, M, N]) end end
     || {T, M} <- [{news, headline}, {sport, score}, {weather, rain}, {tech, launch}, {news, update}]],
    [P ! {report, Self} || {_, P} <- Subs],
    [receive {inbox, Name, Msgs} -> io:format("~p got ~p~n", [Name, Msgs]) end || {Name, _} <- Subs].

broker(Topics) ->
    receive
        {subscribe, T, P, From} ->
            From ! subscribed,
            broker(maps:update_with(T, fun(L) -> L ++ [P] end, [P], Topics));
        {publish, T, M, From} ->
            Ps = maps:get(T, Topics, []),
            [begin P ! {msg, T, M, self()}, receive {ack, P} -> ok end end || P <- Ps],
            From ! {delivered, length(Ps)},
            broker(Topics)
    end.

subscriber(Name, Main, Inbox) ->
    receive
        {msg, T, M, Broker} -> Broker ! {ack, self()}, subscriber(Name, Main, [{T, M} | Inbox]);
        {report, Main} -> Main ! {inbox, Name, lists:reverse(Inbox)}
    end.
