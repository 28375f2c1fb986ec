-module(record_guards_match).
-export([main/0]).

-record(shape, {kind, size}).
-record(animal, {species, legs = 4}).

main() ->
    Items = [#shape{kind = circle, size = 2}, #animal{species = bird, legs = 2},
             #shape{kind = square, size = 3}, {other, thing}, #animal{species = cat}],
    lists:foreach(fun(I) -> io:format("~p~n", [describe(I)]) end, Items),
    io:format("~p~n", [[S || #shape{} = S <- Items]]),
    io:format("~p~n", [[L || #animal{legs = L} <- Items]]),
    io:format("~p~n", [try update_bad(hd(Items)) catch error:E -> E end]).

describe(S) when is_record(S, shape), S#shape.size > 2 -> {big_shape, S#shape.kind};
describe(#shape{kind = K}) -> {shape, K};
describe(#animal{legs = 2, species = Sp}) -> {biped, Sp};
describe(A) when is_record(A, animal) -> {animal, A#animal.species};
describe(_) -> unknown.

update_bad(X) -> X#animal{legs = 3}.
