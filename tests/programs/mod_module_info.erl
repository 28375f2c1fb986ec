%% module_info/0,1 and erlang:function_exported/3 for the program's own
%% module and for BIFs (attributes are left out: BEAM adds a vsn checksum
%% of its beam file).
-module(mod_module_info).
-export([main/0, double/1, pair/2]).

double(X) -> 2 * X.
pair(A, B) -> {A, B}.
local(X) -> X.

main() ->
    io:format("~p~n", [?MODULE:module_info(module)]),
    io:format("~p~n", [?MODULE:module_info(exports)]),
    io:format("~p~n", [proplists_keys(?MODULE:module_info())]),
    io:format("~p~n", [[erlang:function_exported(?MODULE, F, A)
                        || {F, A} <- [{double, 1}, {pair, 2}, {local, 1}, {main, 0},
                                      {module_info, 0}, {module_info, 1}, {double, 2}]]]),
    io:format("~p~n", [[erlang:function_exported(erlang, F, A)
                        || {F, A} <- [{length, 1}, {element, 2}, {self, 0}, {no_such_bif, 3}]]]),
    io:format("~p~n", [local(ok)]),
    io:format("~p~n", [try nonexistent_module_abc:module_info() catch C:R -> {C, R} end]).

proplists_keys(L) -> [K || {K, _} <- L, K =/= md5].
