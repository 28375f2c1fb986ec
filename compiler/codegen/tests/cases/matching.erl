%% Tuple and atom pattern matching, case, guards, records as tuples.
-module(matching).
-export([main/0]).

-record(pt, {x, y}).

main() ->
    erlang:display([shape(S) || S <- [{circle, 2}, {rect, 3, 4}, {square, 5}, triangle, {rect, a, b}]]),
    erlang:display(area(#pt{x = 3, y = 4})),
    erlang:display(classify([1, a, "x", {}, {1, 2}, [], 3.5, <<"b">>])),
    erlang:display(swap({1, {2, 3}})),
    erlang:display(lookup(c, [{a, 1}, {b, 2}, {c, 3}])),
    erlang:display(lookup(z, [{a, 1}])),
    erlang:display(bool(true, false)).

shape({circle, R}) -> {circle, 3 * R * R};
shape({rect, W, H}) when is_integer(W), is_integer(H) -> {rect, W * H};
shape({square, S}) -> shape({rect, S, S});
shape(Other) -> {unknown, Other}.

area(#pt{x = X, y = Y}) -> X * Y.

classify([]) -> [];
classify([H | T]) -> [kind(H) | classify(T)].

kind(X) when is_integer(X) -> int;
kind(X) when is_atom(X) -> atom;
kind(X) when is_float(X) -> float;
kind(X) when is_binary(X) -> binary;
kind({}) -> empty_tuple;
kind(X) when is_tuple(X), tuple_size(X) == 2 -> pair;
kind([_ | _]) -> cons;
kind([]) -> nil.

swap({A, {B, C}}) -> {{C, B}, A}.

lookup(_, []) -> none;
lookup(K, [{K, V} | _]) -> {found, V};
lookup(K, [_ | T]) -> lookup(K, T).

bool(A, B) -> {A and B, A or B, not A, A xor B, A =:= B, A =/= B}.
