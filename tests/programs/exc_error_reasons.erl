-module(exc_error_reasons).
-export([main/0]).

main() ->
    Cases = [
        {badarith, fun() -> 1 + list_to_atom("a") end},
        {badmatch, fun() -> {a, _} = list_to_tuple([b, c]) end},
        {function_clause, fun() -> only_zero(1) end},
        {case_clause, fun() -> case id(3) of 1 -> one end end},
        {if_clause, fun() -> X = id(5), if X < 0 -> neg end end},
        {try_clause, fun() -> try id(2) of 1 -> one catch _:_ -> caught end end},
        {undef, fun() -> (id(no_such_mod)):f() end},
        {badfun, fun() -> (id(42))() end},
        {badarity, fun() -> (id(fun(_) -> ok end))() end},
        {badkey, fun() -> maps:get(k, #{}) end},
        {badmap, fun() -> (id(not_map))#{a => 1} end},
        {badarg, fun() -> atom_to_list(123) end},
        {badarg_length, fun() -> length(id(not_list)) end},
        {system_limit, fun() -> list_to_atom(lists:duplicate(300, $a)) end},
        {element_badarg, fun() -> element(2, id(foo)) end},
        {noproc, fun() -> gen_server:call(no_such_registered_server_xyz, hi) end}
    ],
    lists:foreach(
        fun({Name, F}) ->
            Result = try F() catch Class:Reason -> {Class, simplify(Reason)} end,
            io:format("~-16w ~p~n", [Name, Result])
        end,
        Cases
    ).

simplify({badarity, {F, Args}}) when is_function(F) -> {badarity, Args};
simplify(R) -> R.

id(X) -> X.

only_zero(0) -> zero.
