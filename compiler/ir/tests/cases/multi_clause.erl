-module(multi_clause).
-export([shape/1]).

%% Tuples of two arities, a cons, atoms and a catch-all: one type test per
%% path, one arity switch, one atom switch.
shape({point, X, Y}) -> {X, Y};
shape({circle, R}) -> R;
shape({square, S}) -> S * S;
shape([H | _]) -> H;
shape(empty) -> 0;
shape(none) -> 0;
shape(_) -> other.
