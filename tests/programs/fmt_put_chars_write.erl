-module(fmt_put_chars_write).
-export([main/0]).

main() ->
    io:put_chars("put_chars list\n"),
    io:put_chars(<<"put_chars binary\n">>),
    io:put_chars(["io", $l, <<"ist">>, "\n"]),
    io:write({written, [1, 2]}),
    io:nl(),
    io:write(standard_io, "to standard_io"),
    io:nl(standard_io),
    io:format(standard_io, "format to ~s~n", [standard_io]),
    io:fwrite("fwrite ~w~n", [ok]),
    io:put_chars(standard_io, "explicit device\n"),
    io:format(group_leader(), "via group leader~n", []),
    io:put_chars(lists:duplicate(3, "rep ")),
    io:nl().
