-module(fmt_format_errors).
-export([main/0]).

main() ->
    io:format("~p~n", [attempt(fun() -> io:format("~d~n", [not_a_number]) end)]),
    io:format("~p~n", [attempt(fun() -> io:format("~w ~w~n", [only_one]) end)]),
    io:format("~p~n", [attempt(fun() -> io:format("~q~n", [x]) end)]),
    io:format("~p~n", [attempt(fun() -> io_lib:format("~s", [[1 | 2]]) end)]),
    io:format("~p~n", [attempt(fun() -> io:format(123) end)]),
    io:format("still printing~n").

attempt(F) ->
    try F() of
        V -> {ok, V}
    catch
        error:badarg -> badarg;
        error:{badarg, _} -> badarg_with_info;
        Class:_ -> Class
    end.
