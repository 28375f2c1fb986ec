-module(display_strings_binaries).
-export([main/0]).

main() ->
    erlang:display("abc"),
    erlang:display(""),
    erlang:display("with \"quotes\" and \\"),
    erlang:display("tab\tnewline\n"),
    erlang:display([104, 105, 1000]),
    erlang:display([200, 201]),
    erlang:display(<<"text">>),
    erlang:display(<<>>),
    erlang:display(<<0, 255>>),
    erlang:display(<<1:3>>),
    erlang:display(<<"abc", 7:4>>),
    erlang:display(binary:copy(<<"ab">>, 40)),
    erlang:display([<<"a">>, "b"]).
