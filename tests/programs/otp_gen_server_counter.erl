-module(otp_gen_server_counter).
-behaviour(gen_server).
-export([main/0]).
-export([init/1, handle_call/3, handle_cast/2, handle_info/2, terminate/2]).

main() ->
    {ok, Pid} = gen_server:start_link(?MODULE, 10, []),
    io:format("~p~n", [gen_server:call(Pid, get)]),
    ok = gen_server:cast(Pid, {add, 5}),
    io:format("~p~n", [gen_server:call(Pid, get)]),
    io:format("~p~n", [gen_server:call(Pid, {add_and_get, 100})]),
    Pid ! {info, 1},
    io:format("~p~n", [gen_server:call(Pid, get)]),
    io:format("~p~n", [gen_server:call(Pid, unknown_request)]),
    io:format("~p~n", [gen_server:stop(Pid)]),
    io:format("~p~n", [is_process_alive(Pid)]).

init(N) -> {ok, N}.

handle_call(get, _From, N) -> {reply, N, N};
handle_call({add_and_get, X}, _From, N) -> {reply, N + X, N + X};
handle_call(Other, _From, N) -> {reply, {unknown, Other}, N}.

handle_cast({add, X}, N) -> {noreply, N + X}.

handle_info({info, X}, N) -> {noreply, N - X}.

terminate(Reason, N) -> io:format("terminate ~p with state ~p~n", [Reason, N]).
