-module(math_functions).
-export([main/0]).

main() ->
    io:format("~p~n", [math:pi()]),
    io:format("~p ~p ~p~n", [math:sqrt(2), math:sqrt(144), math:pow(2, 0.5)]),
    io:format("~p ~p~n", [math:exp(1), math:log(10)]),
    io:format("~p ~p ~p~n", [math:log2(1024), math:log10(0.001), math:log2(3)]),
    io:format("~p ~p ~p~n", [math:sin(0), math:cos(0), math:tan(0)]),
    io:format("~p ~p~n", [math:atan2(1, 1), math:atan(1) * 4]),
    io:format("~p ~p~n", [math:floor(-2.5), math:ceil(-2.5)]),
    io:format("~p~n", [math:fmod(10.5, 3)]),
    io:format("~p~n", [math:pow(10, 20)]),
    io:format("~.6f ~.6f~n", [math:sin(1), math:cos(1)]),
    io:format("~.10f~n", [math:asin(1)]),
    io:format("~.10f~n", [math:sinh(1)]),
    Hyp = fun(A, B) -> math:sqrt(A * A + B * B) end,
    io:format("~p~n", [[Hyp(A, B) || {A, B} <- [{3, 4}, {5, 12}, {1, 1}]]]).
