%% A small account ledger: records, maps, pattern matching, exceptions and
%% bignum interest, printed with erlang:display.
-module(bank).
-export([main/0]).

-record(account, {owner, balance = 0, history = []}).

main() ->
    Accounts = lists_foldl(fun open/2, #{}, [alice, bob, carol]),
    A1 = apply_all(Accounts, [{deposit, alice, 100}, {deposit, bob, 50},
                              {withdraw, alice, 30}, {withdraw, carol, 10},
                              {transfer, bob, alice, 25}, {deposit, dave, 5}]),
    erlang:display(summary(A1)),
    erlang:display(compound(1000, 7, 1000)).

open(Name, Accounts) -> Accounts#{Name => #account{owner = Name}}.

apply_all(Accounts, []) -> Accounts;
apply_all(Accounts, [Op | Ops]) ->
    Next = try apply_op(Op, Accounts)
           catch
               throw:{insufficient, Who} ->
                   erlang:display({refused, Who}), Accounts;
               error:{badkey, Who} ->
                   erlang:display({no_account, Who}), Accounts
           end,
    apply_all(Next, Ops).

apply_op({deposit, Who, N}, Accounts) -> change(Who, N, Accounts);
apply_op({withdraw, Who, N}, Accounts) -> change(Who, -N, Accounts);
apply_op({transfer, From, To, N}, Accounts) ->
    change(To, N, change(From, -N, Accounts)).

change(Who, N, Accounts) ->
    #account{balance = B, history = H} = A = maps:get(Who, Accounts),
    case B + N of
        New when New < 0 -> throw({insufficient, Who});
        New -> Accounts#{Who := A#account{balance = New, history = [N | H]}}
    end.

summary(Accounts) ->
    [{Name, B, lists_reverse(H)} || {Name, #account{balance = B, history = H}} <- maps:to_list(Accounts)].

%% Interest compounded yearly, in whole cents, to show integers growing past 64 bits.
compound(Cents, _Percent, 0) -> Cents;
compound(Cents, Percent, Years) -> compound(Cents + Cents * Percent div 100, Percent, Years - 1).

lists_foldl(_F, Acc, []) -> Acc;
lists_foldl(F, Acc, [X | Xs]) -> lists_foldl(F, F(X, Acc), Xs).

lists_reverse(L) -> lists_reverse(L, []).
lists_reverse([], Acc) -> Acc;
lists_reverse([X | Xs], Acc) -> lists_reverse(Xs, [X | Acc]).
