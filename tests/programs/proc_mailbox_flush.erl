-module(proc_mailbox_flush).
-export([main/0]).

main() ->
    Self = self(),
    [Self ! N || N <- lists:seq(1, 10000)],
    io:format("~p~n", [element(2, process_info(Self, message_queue_len))]),
    Evens = take_evens([]),
    io:format("~p ~p~n", [length(Evens), lists:sum(Evens)]),
    io:format("~p~n", [element(2, process_info(Self, message_queue_len))]),
    Rest = flush([]),
    io:format("~p ~p~n", [length(Rest), lists:sublist(Rest, 5)]),
    io:format("~p~n", [element(2, process_info(Self, message_queue_len))]).

take_evens(Acc) ->
    receive N when N rem 2 =:= 0 -> take_evens([N | Acc])
    after 0 -> Acc
    end.

flush(Acc) ->
    receive M -> flush([M | Acc]) after 0 -> lists:reverse(Acc) end.
