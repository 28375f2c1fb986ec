-module(proc_message_order).
-export([main/0]).

%% Messages from one sender arrive in the order they were sent.
main() ->
    Self = self(),
    Senders = [spawn(fun() -> [Self ! {S, N} || N <- lists:seq(1, 1000)] end) || S <- [a, b, c]],
    Received = [receive {S, N} -> {S, N} end || _ <- lists:seq(1, 3000), S <- []] ++ collect(3000, []),
    ByA = [N || {a, N} <- Received],
    ByB = [N || {b, N} <- Received],
    ByC = [N || {c, N} <- Received],
    io:format("~w ~w ~w~n", [length(ByA), length(ByB), length(ByC)]),
    io:format("~w ~w ~w~n", [ByA =:= lists:seq(1, 1000), ByB =:= lists:seq(1, 1000), ByC =:= lists:seq(1, 1000)]),
    io:format("~w~n", [length(Senders)]).

collect(0, Acc) -> lists:reverse(Acc);
collect(N, Acc) -> receive M -> collect(N - 1, [M | Acc]) end.
