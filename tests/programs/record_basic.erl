-module(record_basic).
-export([main/0]).

-record(person, {name, age = 0, email = undefined, tags = []}).

main() ->
    P = #person{name = "Ada", age = 36},
    io:format("~p~n", [P]),
    io:format("~p ~p~n", [P#person.name, P#person.age]),
    P2 = P#person{email = "ada@example.org", tags = [math, computing]},
    io:format("~p~n", [P2]),
    io:format("~p~n", [record_info(fields, person)]),
    io:format("~p~n", [record_info(size, person)]),
    io:format("~p~n", [#person.age]),
    io:format("~p~n", [is_record(P, person)]),
    io:format("~p~n", [is_record({person, 1}, person)]),
    #person{name = N, tags = T} = P2,
    io:format("~p ~p~n", [N, T]),
    io:format("~p~n", [element(1, P)]),
    io:format("~p~n", [greet(P2)]),
    io:format("~p~n", [greet(#person{})]),
    People = [#person{name = "B", age = 30}, #person{name = "A", age = 50}, #person{name = "C", age = 10}],
    io:format("~p~n", [[X#person.name || X <- lists:keysort(#person.age, People)]]),
    io:format("~p~n", [lists:sum([X#person.age || X <- People])]).

greet(#person{name = undefined}) -> nobody;
greet(#person{name = Name, email = undefined}) -> {hello, Name};
greet(#person{name = Name, email = E}) -> {hello, Name, E}.
