-module(mix_prime_sieve_procs).
-export([main/0]).

%% The concurrent prime sieve: a chain of filter processes, one per prime.
main() ->
    Self = self(),
    First = spawn(fun() -> filter(Self) end),
    [First ! {n, N} || N <- lists:seq(2, 600)],
    First ! {done, Self},
    Primes = collect([]),
    io:format("~w primes below 600~n", [length(Primes)]),
    io:format("~w~n", [lists:sublist(Primes, 20)]),
    io:format("~w~n", [lists:last(Primes)]).

filter(Main) ->
    receive
        {n, P} -> Main ! {prime, P}, filter(Main, P, undefined);
        {done, M} -> M ! finished
    end.

filter(Main, P, Next) ->
    receive
        {n, N} when N rem P =:= 0 -> filter(Main, P, Next);
        {n, N} ->
            Next1 = case Next of undefined -> spawn(fun() -> filter(Main) end); _ -> Next end,
            Next1 ! {n, N},
            filter(Main, P, Next1);
        {done, M} when Next =:= undefined -> M ! finished;
        {done, M} -> Next ! {done, M}
    end.

collect(Acc) ->
    receive
        {prime, P} -> collect([P | Acc]);
        finished -> lists:sort(Acc)
    end.
