-module(otp_gen_server_registered).
-behaviour(gen_server).
-export([main/0, start/0, push/1, pop/0, size/0]).
-export([init/1, handle_call/3, handle_cast/2]).

%% A named stack server with a client API.
main() ->
    {ok, _} = start(),
    [push(X) || X <- [a, b, c]],
    io:format("~p~n", [size()]),
    io:format("~p ~p~n", [pop(), pop()]),
    io:format("~p~n", [size()]),
    io:format("~p ~p~n", [pop(), pop()]),
    io:format("~p~n", [try gen_server:call(?MODULE, crash_me) catch exit:{Reason, _} -> {call_failed, Reason} end]),
    io:format("~p~n", [whereis(?MODULE)]),
    {ok, _} = start(),
    io:format("~p~n", [size()]),
    io:format("~p~n", [try gen_server:call(?MODULE, slow, 50) catch exit:{timeout, _} -> timed_out end]),
    gen_server:stop(?MODULE).

start() -> gen_server:start({local, ?MODULE}, ?MODULE, [], []).
push(X) -> gen_server:cast(?MODULE, {push, X}).
pop() -> gen_server:call(?MODULE, pop).
size() -> gen_server:call(?MODULE, size).

init([]) -> {ok, []}.

handle_call(pop, _From, []) -> {reply, empty, []};
handle_call(pop, _From, [H | T]) -> {reply, {ok, H}, T};
handle_call(size, _From, S) -> {reply, length(S), S};
handle_call(slow, _From, S) -> timer:sleep(200), {reply, late, S};
handle_call(crash_me, _From, S) -> {stop, normal, S}.

handle_cast({push, X}, S) -> {noreply, [X | S]}.
