%% A ring of N processes passing a token M times round: the classic test of
%% cheap processes and message passing.
-module(ring).
-export([main/0, main/1]).

main() -> main(["1000", "100"]).

main([NArg, MArg]) ->
    N = list_to_integer(NArg),
    M = list_to_integer(MArg),
    Main = self(),
    First = spawn(fun() -> first(N, Main) end),
    First ! {token, N * M},
    receive
        done -> io:format("token made ~b hops round ~b processes~n", [N * M, N])
    end.

%% The first process builds the rest of the ring, then closes it onto itself.
first(N, Main) ->
    Self = self(),
    Next = lists:foldl(fun(_, Prev) -> spawn(fun() -> relay(Prev, Main) end) end,
                       Self, lists:seq(1, N - 1)),
    relay(Next, Main).

relay(Next, Main) ->
    receive
        {token, 0} -> Main ! done;
        {token, K} -> Next ! {token, K - 1}, relay(Next, Main)
    end.
