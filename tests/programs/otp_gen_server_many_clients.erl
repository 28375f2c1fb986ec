-module(otp_gen_server_many_clients).
-behaviour(gen_server).
-export([main/0]).
-export([init/1, handle_call/3, handle_cast/2]).

%% Many client processes calling one server concurrently.
main() ->
    {ok, S} = gen_server:start(?MODULE, [], []),
    Self = self(),
    Clients = [spawn(fun() ->
                         Rs = [gen_server:call(S, {incr, C}) || _ <- lists:seq(1, 100)],
                         Self ! {done, C, lists:last(Rs)}
                     end) || C <- lists:seq(1, 20)],
    Lasts = lists:sort([receive {done, C, L} -> {C, L} end || _ <- Clients]),
    io:format("~p~n", [Lasts]),
    io:format("~p~n", [gen_server:call(S, total)]),
    gen_server:stop(S).

init([]) -> {ok, #{}}.

handle_call({incr, C}, _From, M) ->
    N = maps:get(C, M, 0) + 1,
    {reply, N, M#{C => N}};
handle_call(total, _From, M) ->
    {reply, {clients, map_size(M), calls, lists:sum(maps:values(M))}, M}.

handle_cast(_, M) -> {noreply, M}.
