-module(fmt_strings_chars).
-export([main/0]).

main() ->
    io:format("~s ~s ~s~n", ["list", <<"binary">>, atom]),
    io:format("~s~n", [["deep", [$i, "o"], <<"list">>]]),
    io:format("~c~c~c~n", [$a, $b, $c]),
    io:format("~3c|~n", [$z]),
    io:format("~tc~n", [233]),
    io:format("~ts~n", [<<"utf8 é"/utf8>>]),
    io:format("~s~n", [<<"latin1 ", 233>>]),
    io:format("~~ tilde~n"),
    io:format("percent % and \\ backslash~n"),
    io:format("~i~s~n", [ignored, "after ignored"]),
    io:format("a~nb~n"),
    io:format("~p~n", ["quoted \"inner\""]),
    io:format("~s~n", ["quoted \"inner\""]),
    io:format("~-6s|~6s|~n", [<<"bin">>, abc]),
    io:format("~10.5s|~n", ["abcdefghij"]),
    io:format("no args~n", []),
    io:format(<<"binary format ~w~n">>, [1]),
    io:format(format_atom_with_no_tilde),
    io:nl().
