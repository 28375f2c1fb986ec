#!/usr/bin/env escript
%% Coral's bridge to the installed Erlang/OTP (embedded in the `coral` binary
%% by compiler/src/otp.rs, written to the cache directory and run by escript).
%%
%% Usage: escript otp_core.escript CACHE_ROOT MODULE...
%%
%% Prints `dir DIR`, where DIR is CACHE_ROOT/otp-RELEASE-erts-VERSION, the
%% directory for this installation's Core Erlang. Then, for each MODULE not
%% already there, writes DIR/MODULE.core: the Core Erlang (as core_pp prints
%% it) compiled from the abstract code in the module's beam file. A module
%% with no beam file, no debug info, or code the compiler rejects gets
%% DIR/MODULE.none instead, holding the reason, so a later build does not ask
%% again. Files are written under a temporary name and renamed into place, so
%% concurrent builds never read half a file. Exits 0 unless the directory
%% cannot be made.

main([Root | Modules]) ->
    Dir = filename:join(Root, "otp-" ++ erlang:system_info(otp_release)
                        ++ "-erts-" ++ erlang:system_info(version)),
    case filelib:ensure_dir(filename:join(Dir, "x")) of
        ok ->
            io:format("dir ~ts~n", [Dir]),
            Self = self(),
            Workers = [spawn_monitor(fun() -> Self ! {done, self(), fetch(Dir, M)} end)
                       || M <- Modules],
            [receive
                 {done, Pid, _} -> ok;
                 {'DOWN', Ref, process, Pid, _} -> ok
             end || {Pid, Ref} <- Workers],
            halt(0);
        {error, Reason} ->
            io:format(standard_error, "cannot make ~ts: ~p~n", [Dir, Reason]),
            halt(1)
    end;
main(_) ->
    io:format(standard_error, "usage: otp_core.escript CACHE_ROOT MODULE...~n", []),
    halt(2).

%% Writes MODULE.core or MODULE.none for one module name (a string).
fetch(Dir, Name) ->
    Base = filename:join(Dir, Name),
    case filelib:is_regular(Base ++ ".core") orelse filelib:is_regular(Base ++ ".none") of
        true ->
            ok;
        false ->
            case catch core_text(list_to_atom(Name)) of
                {ok, Text} -> put_file(Base ++ ".core", unicode:characters_to_binary(Text));
                {none, Why} -> put_file(Base ++ ".none", io_lib:format("~p~n", [Why]));
                Other -> put_file(Base ++ ".none", io_lib:format("~p~n", [Other]))
            end
    end.

core_text(Mod) ->
    case code:which(Mod) of
        Beam when is_list(Beam) ->
            case beam_lib:chunks(Beam, [abstract_code]) of
                {ok, {_, [{abstract_code, {raw_abstract_v1, Forms}}]}} ->
                    case compile:noenv_forms(Forms, [to_core, binary, return_errors]) of
                        {ok, _, Core} -> {ok, core_pp:format(Core)};
                        {ok, _, Core, _Warnings} -> {ok, core_pp:format(Core)};
                        Error -> {none, {compile, Error}}
                    end;
                {ok, {_, [{abstract_code, no_abstract_code}]}} ->
                    {none, no_debug_info};
                Error ->
                    {none, Error}
            end;
        Where ->
            %% non_existing, preloaded, cover_compiled
            {none, Where}
    end.

put_file(Path, Bytes) ->
    Tmp = Path ++ ".tmp" ++ os:getpid(),
    ok = file:write_file(Tmp, Bytes),
    ok = file:rename(Tmp, Path).
