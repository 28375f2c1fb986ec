-module(proc_dictionary).
-export([main/0]).

main() ->
    io:format("~p~n", [put(count, 1)]),
    io:format("~p~n", [put(count, 2)]),
    io:format("~p~n", [get(count)]),
    io:format("~p~n", [get(missing)]),
    put({tuple, key}, [list, value]),
    put("string key", <<"bin">>),
    io:format("~p~n", [lists:sort(get())]),
    io:format("~p~n", [lists:sort(get_keys())]),
    io:format("~p~n", [get_keys([list, value])]),
    io:format("~p~n", [erase(count)]),
    io:format("~p~n", [erase(count)]),
    [put(N, N * N) || N <- lists:seq(1, 100)],
    io:format("~p~n", [lists:sum([get(N) || N <- lists:seq(1, 100)])]),
    io:format("~p~n", [length(get())]),
    Self = self(),
    spawn(fun() -> Self ! {child_sees, get(count), get(1)} end),
    receive {child_sees, A, B} -> io:format("child: ~p ~p~n", [A, B]) end,
    Old = erase(),
    io:format("~p ~p~n", [length(Old), get()]),
    counter_demo().

counter_demo() ->
    [incr(K) || K <- [a, b, a, c, a, b]],
    io:format("~p~n", [lists:sort(get())]).

incr(K) ->
    case get(K) of
        undefined -> put(K, 1);
        N -> put(K, N + 1)
    end.
