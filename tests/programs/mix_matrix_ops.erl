-module(mix_matrix_ops).
-export([main/0]).

main() ->
    A = [[1, 2, 3], [4, 5, 6]],
    B = [[7, 8], [9, 10], [11, 12]],
    io:format("~w~n", [mul(A, B)]),
    io:format("~p~n", [transpose(A)]),
    I = identity(4),
    io:format("~p~n", [I]),
    M = [[2, 1, 0, 0], [1, 2, 1, 0], [0, 1, 2, 1], [0, 0, 1, 2]],
    io:format("~p~n", [mul(M, I) =:= M]),
    io:format("~w~n", [power(M, 5)]),
    io:format("~p~n", [det([[2, -3, 1], [2, 0, -1], [1, 4, 5]])]),
    Fib = power([[1, 1], [1, 0]], 100),
    io:format("~p~n", [hd(tl(hd(Fib)))]),
    io:format("~p~n", [mul([[0.5, 1.5]], [[2.0], [4.0]])]).

mul(A, B) ->
    Bt = transpose(B),
    [[lists:sum(lists:zipwith(fun erlang:'*'/2, Row, Col)) || Col <- Bt] || Row <- A].

transpose([[] | _]) -> [];
transpose(M) -> [[hd(R) || R <- M] | transpose([tl(R) || R <- M])].

identity(N) -> [[if I =:= J -> 1; true -> 0 end || J <- lists:seq(1, N)] || I <- lists:seq(1, N)].

power(M, 1) -> M;
power(M, N) when N rem 2 =:= 0 -> H = power(M, N div 2), mul(H, H);
power(M, N) -> mul(M, power(M, N - 1)).

det([[A]]) -> A;
det([Row | Rest]) ->
    lists:sum([sign(J) * X * det(minor(J, Rest)) || {J, X} <- lists:zip(lists:seq(1, length(Row)), Row)]).

sign(J) when J rem 2 =:= 1 -> 1;
sign(_) -> -1.

minor(J, Rows) -> [[X || {K, X} <- lists:zip(lists:seq(1, length(R)), R), K =/= J] || R <- Rows].
