-module(fmt_table_report).
-export([main/0]).

main() ->
    Rows = [{"Widget", 4, 3.5}, {"Gadget with long name", 12, 10.0}, {"Nut", 1000, 0.02}, {"Bolt", 250, 0.15}],
    io:format("~-24s ~8s ~10s ~12s~n", ["Item", "Qty", "Unit", "Total"]),
    io:format("~s~n", [lists:duplicate(57, $-)]),
    Totals = [begin
                  T = Q * P,
                  io:format("~-24s ~8w ~10.2f ~12.2f~n", [Name, Q, P, T]),
                  T
              end || {Name, Q, P} <- Rows],
    io:format("~s~n", [lists:duplicate(57, $=)]),
    io:format("~-24s ~8w ~10s ~12.2f~n", ["TOTAL", lists:sum([Q || {_, Q, _} <- Rows]), "", lists:sum(Totals)]),
    io:format("~50c~n", [$*]),
    io:format("~s~n", [string:centre("centered", 30, $.)]).
