#!/usr/bin/env escript
%% The BEAM side of runtime/tests/number_vs_erl.rs: reads the generated cases
%% (one Erlang term per case, written by the test), computes every answer with
%% the real BIFs and operators, and writes one line per case:
%% "Id<TAB>Rendered". Results are rendered exactly: integers in decimal (or,
%% when huge, by sign, bit length and their lowest and highest 64 bits),
%% floats by their IEEE bits, text as is, exceptions as "e:Class:Reason".
%% Usage: escript number_oracle.escript CASES OUT
-mode(compile).

main([In, Out]) ->
    {ok, Cases} = file:consult(In),
    Lines = [[integer_to_list(Id), $\t, run(Case), $\n] || {Id, Case} <- Cases],
    ok = file:write_file(Out, Lines);
main(_) ->
    io:format(standard_error, "usage: number_oracle.escript CASES OUT~n", []),
    halt(2).

run(Case) ->
    try eval(Case) of
        Value -> render(Value)
    catch
        Class:Reason -> io_lib:format("e:~w:~w", [Class, Reason])
    end.

%% Operands: {i, Int}, {f, IeeeBits}, or {p2, K, Neg, Add}: (+-2^K) + Add,
%% for integers too large to write into the case file. 2^K itself may be over
%% the bignum limit when Add brings the value back under it, so the magnitude
%% is built as 2^(K-1) + (2^(K-1) +- Add).
num({i, I}) -> I;
num({f, Bits}) -> <<F/float>> = <<Bits:64>>, F;
num({p2, K, Neg, Add}) ->
    Half = 1 bsl (K - 1),
    case Neg of
        false -> Half + (Half + Add);
        true -> -(Half + (Half - Add))
    end.

eval({binary, Op, A, B}) -> erlang:Op(num(A), num(B));
eval({unary, Op, A}) -> erlang:Op(num(A));
eval({cmp, A0, B0}) ->
    A = num(A0), B = num(B0),
    Order = if A < B -> lt; A == B -> eq; true -> gt end,
    %% The other operators must agree with the order.
    Order = if A > B -> gt; A =< B, A >= B -> eq; A =< B -> lt end,
    NotEqual = (Order =/= eq),
    NotEqual = (A /= B),
    {text, io_lib:format("~w,~w", [Order, A =:= B])};
eval({max, A, B}) -> max(num(A), num(B));
eval({min, A, B}) -> min(num(A), num(B));
eval({keyorder, A0, B0}) ->
    A = num(A0), B = num(B0),
    case A =:= B of
        true -> {text, "same"};
        false ->
            [First | _] = maps:keys(#{A => 1, B => 2}),
            {text, case First =:= A of true -> "first"; false -> "second" end}
    end;
eval({i2l, I, Base}) -> {text, integer_to_list(num(I), num(Base))};
eval({l2i, Chars, Base}) -> list_to_integer(Chars, num(Base));
eval({l2f, Chars}) -> list_to_float(Chars);
eval({f2l, F, none}) -> {text, float_to_list(num(F))};
eval({f2l, F, Opts}) -> {text, float_to_list(num(F), [opt(O) || O <- Opts])};
eval({fmt_p, F}) -> {text, lists:flatten(io_lib:format("~p", [num(F)]))};
eval({fmt_w, F}) -> {text, lists:flatten(io_lib:format("~w", [num(F)]))};
eval({display, F}) ->
    %% erts_debug:display/1 prints like erlang:display/1 (both format with
    %% the emulator's own printf) and also returns the text, newline included.
    {text, string:trim(erts_debug:display(num(F)), trailing, "\n")}.

opt({decimals, N}) -> {decimals, num(N)};
opt({scientific, N}) -> {scientific, num(N)};
opt(Atom) -> Atom.

render({text, Text}) -> ["s:", Text];
render(I) when is_integer(I) -> render_int(I);
render(F) when is_float(F) ->
    <<Bits:64>> = <<F/float>>,
    ["f:", integer_to_list(Bits, 16)].

render_int(I) when I > -(1 bsl 10000), I < (1 bsl 10000) -> ["i:", integer_to_list(I)];
render_int(I) ->
    A = abs(I),
    Bytes = binary:encode_unsigned(A),
    <<Top, _/binary>> = Bytes,
    Bits = (byte_size(Bytes) - 1) * 8 + bit_len(Top, 0),
    Low = A band ((1 bsl 64) - 1),
    High = A bsr (Bits - 64),
    Sign = case I < 0 of true -> "-"; false -> "+" end,
    io_lib:format("I:~s~b:~.16b:~.16b", [Sign, Bits, Low, High]).

bit_len(0, N) -> N;
bit_len(X, N) -> bit_len(X bsr 1, N + 1).
