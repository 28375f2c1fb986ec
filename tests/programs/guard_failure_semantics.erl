-module(guard_failure_semantics).
-export([main/0]).

%% An exception inside a guard makes the guard false; `;` tries the next
%% alternative, `orelse` does not.
main() ->
    Inputs = [[], [1], atom, {1, 2}, 0, 5],
    [io:format("~p: ~p ~p ~p ~p~n", [I, semi(I), orelse_guard(I), comma(I), nested(I)]) || I <- Inputs],
    io:format("~p~n", [[X || X <- [1, a, 2.0, "s"], X * 2 > 1]]),
    io:format("~p~n", [if is_atom(hd([])) -> yes; true -> guard_crash_is_false end]),
    io:format("~p~n", [case 5 of N when N > 10; N < 6 -> semicolon_matched; _ -> no end]),
    io:format("~p~n", [andalso_value(true, 1)]).

semi(X) when hd(X) =:= 1; X =:= atom -> first_or_atom;
semi(X) when element(1, X) =:= 1; is_integer(X) -> tuple_or_int;
semi(_) -> none.

orelse_guard(X) when hd(X) =:= 1 orelse X =:= atom -> matched;
orelse_guard(_) -> not_matched.

comma(X) when is_integer(X), 10 div X > 1 -> divides;
comma(_) -> no.

nested(X) when (is_list(X) andalso length(X) > 0) or (X =:= 0) -> nested_true;
nested(_) -> nested_false.

andalso_value(A, B) -> A andalso B.
