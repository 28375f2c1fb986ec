-module(fmt_p_line_breaking).
-export([main/0]).

%% ~p breaks long terms over lines at 80 columns, with indentation.
main() ->
    Long = [{user, N, "name_" ++ integer_to_list(N), #{roles => [admin, editor], active => N rem 2 =:= 0}}
            || N <- lists:seq(1, 6)],
    io:format("~p~n", [Long]),
    io:format("~p~n", [{config, [{database, [{host, "localhost"}, {port, 5432}, {pool, 10}]},
                                 {cache, [{ttl, 3600}, {size, 1000}]}, {features, [a, b, c, d, e, f, g, h]}]}]),
    io:format("result: ~p~n", [lists:seq(100, 140)]),
    io:format("~40p~n", [lists:seq(1, 30)]),
    io:format("~p~n", [#{list => lists:seq(1, 25), nested => #{deep => #{deeper => lists:seq(1, 10)}}}]),
    io:format("~p~n", [list_to_tuple(lists:seq(1, 35))]),
    io:format("~p~n", [[<<"binary number ", (integer_to_binary(N))/binary>> || N <- lists:seq(1, 8)]]),
    io:format("   indented: ~p~n", [[aaaaaaaaaa, bbbbbbbbbb, cccccccccc, dddddddddd, eeeeeeeeee, ffffffffff, gggggggggg]]).
