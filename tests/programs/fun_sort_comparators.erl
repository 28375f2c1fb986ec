-module(fun_sort_comparators).
-export([main/0]).

main() ->
    People = [{"ann", 31, 5.5}, {"bob", 25, 6.1}, {"cat", 31, 5.2}, {"dan", 25, 5.9}, {"eve", 40, 5.5}],
    By = fun(N) -> fun(A, B) -> element(N, A) =< element(N, B) end end,
    io:format("~p~n", [lists:sort(By(2), People)]),
    io:format("~p~n", [lists:sort(By(3), People)]),
    Desc = fun(F) -> fun(A, B) -> F(B, A) end end,
    io:format("~p~n", [lists:sort(Desc(By(2)), People)]),
    Then = fun(F, G) -> fun(A, B) ->
                            case {F(A, B), F(B, A)} of
                                {true, true} -> G(A, B);
                                {R, _} -> R
                            end
                        end end,
    io:format("~p~n", [lists:sort(Then(By(2), Desc(By(3))), People)]),
    io:format("~p~n", [lists:sort(fun({_, A, _}, {_, B, _}) -> A > B end, People)]),
    io:format("~p~n", [lists:usort(fun(A, B) -> element(2, A) =< element(2, B) end, People)]).
