-module(cons_loops).
-export([main/0]).

%% Functions that build their result with a recursive call under a cons,
%% `[X | f(...)]`: a compiler may build such lists front to back in a
%% loop. Results, the order of elements, exceptions and their stack traces
%% (one entry for the chain of recursive calls) must stay the same, also
%% for lists long enough that collections happen while they are built.
main() ->
    erlang:display(app([1, 2, 3], [4, 5])),
    erlang:display(app([], tail)),
    erlang:display(app([a], improper)),
    erlang:display(dup([x, y])),
    erlang:display(evens([1, 2, 3, 4, 5, 6, 7, 8])),
    erlang:display(tag(3, [a, b, c])),
    erlang:display(pairs([1, 2, 3, 4, 5])),
    erlang:display(upto(1, 10)),
    erlang:display(literal_elems(3)),
    erlang:display(fresh_end([1, 2])),
    %% Long lists: many collections while one list is being built, and
    %% data kept across them (old generation).
    Long = lists:seq(1, 400000),
    A = app(Long, [done]),
    erlang:display({length(A), lists:last(A), lists:nth(200000, A)}),
    D = dup(Long),
    erlang:display({length(D), lists:sum([X || X <- D, is_integer(X)])}),
    E = evens(A),
    erlang:display({length(E), lists:sum(E)}),
    P = pairs(Long),
    erlang:display({length(P), lists:last(P)}),
    U = upto(1, 300000),
    erlang:display({length(U), hd(U), lists:last(U)}),
    erlang:display(churn(400, [])),
    %% Lists built by one process while others run and message it.
    Self = self(),
    Pids = [spawn(fun() -> Self ! {self(), length(app(lists:seq(1, N), lists:seq(1, N)))} end)
            || N <- [1000, 50000, 200000]],
    erlang:display([receive {Pid, Len} -> Len end || Pid <- Pids]),
    %% Exceptions: from the first call, from deep inside the chain, from a
    %% clause that returns by calling something that fails.
    show(fun() -> app(nope, []) end),
    show(fun() -> app([1, 2, 3 | nope], []) end),
    show(fun() -> dup([a, b | c]) end),
    show(fun() -> evens([1, 2, x]) end),
    show(fun() -> tag(1, [a, b | {}]) end),
    show(fun() -> fresh_end([1, 2, 3, boom]) end),
    show(fun() -> fresh_end([boom]) end),
    show(fun() -> pairs([1, 2, 3]) end),
    show(fun() -> upto(a, 3) end),
    R = (catch app(lists:seq(1, 100000) ++ bad, [])),
    erlang:display(element(1, element(2, R))),
    ok.

show(F) ->
    erlang:display(try F() catch C:R:S -> {C, R, [Fr || Fr <- S, keep(Fr)]} end).

%% What lies below main/0 depends on how the program was started.
keep({M, _, _, _}) -> M =:= ?MODULE orelse M =:= erlang.

app([H | T], L) -> [H | app(T, L)];
app([], L) -> L.

dup([H | T]) -> [{H}, H | dup(T)];
dup([]) -> [].

evens([H | T]) when H rem 2 =:= 0 -> [H | evens(T)];
evens([_ | T]) -> evens(T);
evens([]) -> [].

tag(N, [H | T]) -> [{N, H} | tag(N + 1, T)];
tag(_, []) -> [].

pairs([A, B | T]) -> [{A, B} | pairs(T)];
pairs([A]) -> [{A, last}];
pairs([]) -> [].

upto(N, M) when N =< M -> [N | upto(N + 1, M)];
upto(_, _) -> [].

literal_elems(0) -> [];
literal_elems(N) -> [x, "ab", {1, [2]} | literal_elems(N - 1)].

%% The last clause does work that may fail.
fresh_end([boom | _]) -> erlang:error(boom);
fresh_end([H | T]) -> [H | fresh_end(T)];
fresh_end([]) -> [last, id(7)].

id(X) -> X.

%% Many short lists, most of them garbage soon, some kept.
churn(0, Acc) -> {length(Acc), lists:sum(Acc)};
churn(N, Acc) ->
    L = upto(1, N rem 97 + 1),
    A = app(L, app(L, [])),
    churn(N - 1, lists:sublist(app(A, Acc), 500)).
