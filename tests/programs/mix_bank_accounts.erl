-module(mix_bank_accounts).
-export([main/0]).

%% Account processes, transfers between them, and a final audit.
main() ->
    Accounts = maps:from_list([{Name, spawn(fun() -> account(Name, Balance) end)}
                               || {Name, Balance} <- [{alice, 100}, {bob, 50}, {carol, 0}]]),
    Transfers = [{alice, bob, 30}, {bob, carol, 70}, {carol, alice, 5}, {bob, alice, 500}, {alice, carol, 75}],
    lists:foreach(
        fun({From, To, Amount}) ->
            Result = transfer(maps:get(From, Accounts), maps:get(To, Accounts), Amount),
            io:format("~p -> ~p ~p: ~p~n", [From, To, Amount, Result])
        end,
        Transfers
    ),
    Balances = [{N, call(P, balance)} || {N, P} <- lists:sort(maps:to_list(Accounts))],
    io:format("~p~n", [Balances]),
    io:format("total ~p~n", [lists:sum([B || {_, B} <- Balances])]),
    [call(P, {history, self()}) || {_, P} <- lists:sort(maps:to_list(Accounts))].

transfer(From, To, Amount) ->
    case call(From, {withdraw, Amount}) of
        ok -> ok = call(To, {deposit, Amount}), ok;
        Error -> Error
    end.

call(P, Req) ->
    P ! {self(), Req},
    receive {P, Reply} -> Reply end.

account(Name, Balance) -> account(Name, Balance, []).

account(Name, Balance, Log) ->
    receive
        {From, {withdraw, A}} when A =< Balance -> From ! {self(), ok}, account(Name, Balance - A, [{out, A} | Log]);
        {From, {withdraw, _}} -> From ! {self(), {error, insufficient_funds}}, account(Name, Balance, Log);
        {From, {deposit, A}} -> From ! {self(), ok}, account(Name, Balance + A, [{in, A} | Log]);
        {From, balance} -> From ! {self(), Balance}, account(Name, Balance, Log);
        {From, {history, _}} ->
            io:format("~p history: ~p~n", [Name, lists:reverse(Log)]),
            From ! {self(), ok},
            account(Name, Balance, Log)
    end.
