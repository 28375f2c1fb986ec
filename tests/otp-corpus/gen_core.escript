#!/usr/bin/env escript
%%! -noshell +A 4
%% Writes the Core Erlang of every module of the installed Erlang/OTP that
%% carries debug info (abstract code) into OUTDIR/MODULE.core, one file per
%% module, then prints "generated N skipped M" (skipped = no debug info).
%% Modules are converted in parallel, one worker per scheduler.
-mode(compile).

main([OutDir]) ->
    ok = filelib:ensure_dir(filename:join(OutDir, "x")),
    Beams = lists:usort(filelib:wildcard(filename:join([code:root_dir(), "lib", "*", "ebin", "*.beam"]))),
    Workers = erlang:system_info(schedulers_online),
    Results = pmap(fun(B) -> convert(B, OutDir) end, Beams, Workers),
    Gen = length([ok || ok <- Results]),
    Skipped = length([x || {skipped, _} <- Results]),
    Failed = [{B, R} || {failed, B, R} <- Results],
    [io:format(standard_error, "failed: ~s: ~p~n", [B, R]) || {B, R} <- Failed],
    io:format("generated ~b skipped ~b failed ~b~n", [Gen, Skipped, length(Failed)]),
    halt(case Failed of [] -> 0; _ -> 1 end);
main(_) ->
    io:format(standard_error, "usage: gen_core.escript OUTDIR~n", []),
    halt(2).

convert(Beam, OutDir) ->
    try beam_lib:chunks(Beam, [abstract_code]) of
        {ok, {Mod, [{abstract_code, {raw_abstract_v1, Forms}}]}} ->
            case compile:noenv_forms(Forms, [to_core, binary, return_errors]) of
                {ok, _, Core} ->
                    Text = core_pp:format(Core),
                    Out = filename:join(OutDir, atom_to_list(Mod) ++ ".core"),
                    ok = file:write_file(Out, unicode:characters_to_binary(Text)),
                    ok;
                {ok, _, Core, _Warnings} ->
                    Text = core_pp:format(Core),
                    Out = filename:join(OutDir, atom_to_list(Mod) ++ ".core"),
                    ok = file:write_file(Out, unicode:characters_to_binary(Text)),
                    ok;
                Error ->
                    {failed, Beam, Error}
            end;
        _ ->
            {skipped, Beam}
    catch
        C:R -> {failed, Beam, {C, R}}
    end.

%% Map F over Xs with at most N conversions running at once.
pmap(F, Xs, N) ->
    Parent = self(),
    Indexed = lists:zip(lists:seq(1, length(Xs)), Xs),
    {Start, Rest} = lists:split(min(N, length(Indexed)), Indexed),
    [spawn_worker(Parent, F, IX) || IX <- Start],
    collect(Parent, F, Rest, length(Start), #{}, length(Xs)).

spawn_worker(Parent, F, {I, X}) ->
    spawn_link(fun() -> Parent ! {done, I, F(X)} end).

collect(_Parent, _F, [], 0, Acc, Total) ->
    [maps:get(I, Acc) || I <- lists:seq(1, Total)];
collect(Parent, F, Rest, Running, Acc, Total) ->
    receive
        {done, I, R} ->
            case Rest of
                [Next | Rest1] ->
                    spawn_worker(Parent, F, Next),
                    collect(Parent, F, Rest1, Running, Acc#{I => R}, Total);
                [] ->
                    collect(Parent, F, [], Running - 1, Acc#{I => R}, Total)
            end
    end.
