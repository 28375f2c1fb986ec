-module(fun_in_data_structures).
-export([main/0]).

main() ->
    Ops = #{add => fun erlang:'+'/2, sub => fun erlang:'-'/2, mul => fun(X, Y) -> X * Y end,
            pow => fun(X, Y) -> round(math:pow(X, Y)) end},
    Program = [{add, 2, 3}, {mul, 4, 5}, {sub, 10, 7}, {pow, 2, 10}],
    [io:format("~p(~p, ~p) = ~p~n", [Op, X, Y, (maps:get(Op, Ops))(X, Y)]) || {Op, X, Y} <- Program],
    Handlers = [{fun is_integer/1, int}, {fun is_atom/1, atom}, {fun is_list/1, list}],
    io:format("~p~n", [[classify(V, Handlers) || V <- [1, a, [], 2.0]]]),
    Stack = lists:foldl(fun(F, Acc) -> F(Acc) end, [], [fun(S) -> [1 | S] end, fun(S) -> [2 | S] end, fun([H | T]) -> [H * 10 | T] end]),
    io:format("~p~n", [Stack]),
    T = {fun(X) -> X + 1 end, fun(X) -> X - 1 end},
    io:format("~p~n", [{(element(1, T))(10), (element(2, T))(10)}]).

classify(_, []) -> unknown;
classify(V, [{Test, Name} | Rest]) ->
    case Test(V) of
        true -> Name;
        false -> classify(V, Rest)
    end.
