-module(display_basic_terms).
-export([main/0]).

%% Prints only through erlang:display/1.
main() ->
    erlang:display(42),
    erlang:display(-7),
    erlang:display(foo),
    erlang:display('Quoted Atom'),
    erlang:display([1, 2, 3]),
    erlang:display({a, b, [c]}),
    erlang:display("hello"),
    erlang:display(<<1, 2, 3>>),
    erlang:display(1.5),
    erlang:display([]),
    erlang:display(12345678901234567890123),
    erlang:display(#{a => 1}).
