-module(crash_uncaught_throw).
-export([main/0]).

%% An uncaught throw becomes {nocatch, Value}; erl exits with status 1.
main() ->
    io:format("searching~n"),
    find(lists:seq(1, 10)).

find([X | _]) when X > 4 -> throw({found, X});
find([X | T]) -> io:format("checked ~w~n", [X]), find(T).
