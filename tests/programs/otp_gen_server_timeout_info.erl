-module(otp_gen_server_timeout_info).
-behaviour(gen_server).
-export([main/0]).
-export([init/1, handle_call/3, handle_cast/2, handle_info/2, handle_continue/2]).

main() ->
    {ok, Pid} = gen_server:start(?MODULE, self(), []),
    receive {continued, X} -> io:format("handle_continue ran: ~p~n", [X]) end,
    receive {timed_out, N} -> io:format("idle timeout ~p~n", [N]) end,
    io:format("~p~n", [gen_server:call(Pid, ticks)]),
    Ref = monitor(process, Pid),
    gen_server:cast(Pid, shutdown),
    receive {'DOWN', Ref, process, Pid, Reason} -> io:format("down: ~p~n", [Reason]) end,
    {ok, P2} = gen_server:start(?MODULE, self(), []),
    receive {continued, _} -> ok end,
    io:format("~p~n", [gen_server:call(P2, {reply_later, 7})]),
    {'EXIT', {Why, _}} = (catch gen_server:call(P2, noreply_forever, 100)),
    io:format("~p~n", [Why]),
    gen_server:stop(P2, normal, 1000),
    io:format("done~n").

init(Parent) -> {ok, #{parent => Parent, ticks => 0}, {continue, setup}}.

handle_continue(setup, S = #{parent := P}) ->
    P ! {continued, setup},
    {noreply, S, 20}.

handle_call(ticks, _From, S = #{ticks := T}) -> {reply, T, S};
handle_call({reply_later, X}, From, S) ->
    spawn(fun() -> gen_server:reply(From, {later, X}) end),
    {noreply, S};
handle_call(noreply_forever, _From, S) -> {noreply, S}.

handle_cast(shutdown, S) -> {stop, {shutdown, asked}, S}.

handle_info(timeout, S = #{parent := P, ticks := T}) ->
    P ! {timed_out, T + 1},
    {noreply, S#{ticks := T + 1}};
handle_info(_, S) -> {noreply, S}.
