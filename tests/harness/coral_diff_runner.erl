%% Runs many differential-test programs in one Erlang VM and records, for each,
%% what `erl -noshell -eval 'NAME:main(), halt(0).'` would have printed to stdout
%% and the status it would have exited with.
%%
%% Booting a VM per program costs more than most programs take to run, so one VM
%% runs a whole batch. Each program gets what the `-eval` process would give it:
%% a fresh process with `trap_exit` set, whose group leader is a capture process
%% speaking the I/O protocol the way OTP 25's `user` server does for a stdout that
%% is not a terminal (latin1 encoding until `io:setopts/1` says otherwise, code
%% points above 255 written as `\x{...}`). When `main/0` returns (status 0) or
%% raises (status 1), every process still sharing that group leader is suspended
%% and then killed, as `halt/1` would end them, so nothing leaks into the next
%% program. Output that bypasses the group leader (`erlang:display/1`, logger
%% reports, `io:format(user, ...)`) cannot be captured here; programs that need it
%% run in their own VM, and anything this VM prints to its own stdout is a sign
%% that a program should have.
%%
%% Usage: erl -noshell -pa DIRS -run coral_diff_runner main OUTDIR TIMEOUT_MS MOD...
%% For each MOD it writes OUTDIR/MOD.out (the bytes) and OUTDIR/MOD.status
%% ("0", "1" or "timeout").
-module(coral_diff_runner).
-export([main/1]).

main([OutDir, TimeoutMs | Modules]) ->
    Timeout = list_to_integer(TimeoutMs),
    lists:foreach(fun(Mod) -> run_program(Mod, OutDir, Timeout) end, Modules),
    halt(0).

run_program(Name, OutDir, Timeout) ->
    Mod = list_to_atom(Name),
    LoggerConfig = logger:get_primary_config(),
    Capture = spawn(fun() -> capture_loop(latin1, list, []) end),
    Runner = self(),
    {Prog, Ref} = spawn_monitor(fun() -> program(Runner, Capture, Mod) end),
    Status =
        receive
            {Prog, returned} -> "0";
            {Prog, raised} -> "1";
            %% Only an untrappable `kill` ends main without a result; under
            %% -eval that brings init down, which exits with status 1.
            {'DOWN', Ref, process, Prog, _} -> "1"
        after Timeout -> "timeout"
        end,
    demonitor(Ref, [flush]),
    stop_group(Capture),
    Capture ! {collect, self()},
    Output =
        receive
            {output, Capture, Bin} -> Bin
        end,
    exit(Capture, kill),
    %% A program may silence the logger (say, before a supervisor restart);
    %% the next program must start with the default configuration.
    ok = logger:set_primary_config(LoggerConfig),
    ok = file:write_file(filename:join(OutDir, Name ++ ".out"), Output),
    ok = file:write_file(filename:join(OutDir, Name ++ ".status"), Status).

program(Runner, Capture, Mod) ->
    group_leader(Capture, self()),
    process_flag(trap_exit, true),
    Result =
        try Mod:main() of
            _ -> returned
        catch
            _:_ -> raised
        end,
    Runner ! {self(), Result}.

%% Ends every process the program started (they all inherit its group leader).
%% Suspending them all before killing any keeps a trapping process from reacting
%% to a sibling's death, which could print or log, as halt/1 would never let it.
stop_group(Capture) ->
    Self = self(),
    case
        [P || P <- processes(), P =/= Capture, P =/= Self, group_leader_of(P) =:= Capture]
    of
        [] ->
            ok;
        Procs ->
            lists:foreach(fun(P) -> catch erlang:suspend_process(P) end, Procs),
            Refs = [monitor(process, P) || P <- Procs],
            lists:foreach(fun(P) -> exit(P, kill) end, Procs),
            lists:foreach(
                fun(R) ->
                    receive
                        {'DOWN', R, process, _, _} -> ok
                    end
                end,
                Refs
            ),
            %% A process could have spawned another between the listing and
            %% its suspension; look again until none is left.
            stop_group(Capture)
    end.

group_leader_of(Pid) ->
    case process_info(Pid, group_leader) of
        {group_leader, Leader} -> Leader;
        undefined -> undefined
    end.

%% The capture process: an I/O server holding everything written to it.
capture_loop(Encoding, ReadMode, Acc) ->
    receive
        {io_request, From, ReplyAs, Request} when is_pid(From) ->
            {Reply, Encoding1, ReadMode1, Acc1} = request(Request, Encoding, ReadMode, Acc),
            From ! {io_reply, ReplyAs, Reply},
            capture_loop(Encoding1, ReadMode1, Acc1);
        {collect, From} ->
            From ! {output, self(), iolist_to_binary(lists:reverse(Acc))},
            capture_loop(Encoding, ReadMode, Acc);
        _Other ->
            capture_loop(Encoding, ReadMode, Acc)
    end.

request({put_chars, InEnc, Chars}, Enc, Mode, Acc) ->
    put_chars(to_device(Chars, InEnc, Enc), Enc, Mode, Acc);
request({put_chars, InEnc, M, F, A}, Enc, Mode, Acc) ->
    case catch apply(M, F, A) of
        Data when is_list(Data); is_binary(Data) ->
            put_chars(to_device(Data, InEnc, Enc), Enc, Mode, Acc);
        _ ->
            {{error, put_chars}, Enc, Mode, Acc}
    end;
request({put_chars, Chars}, Enc, Mode, Acc) ->
    request({put_chars, latin1, Chars}, Enc, Mode, Acc);
request({put_chars, M, F, A}, Enc, Mode, Acc) ->
    request({put_chars, latin1, M, F, A}, Enc, Mode, Acc);
request({get_chars, _InEnc, Prompt, _N}, Enc, Mode, Acc) ->
    input_at_eof(Prompt, Enc, Mode, Acc);
request({get_line, _InEnc, Prompt}, Enc, Mode, Acc) ->
    input_at_eof(Prompt, Enc, Mode, Acc);
request({get_until, _InEnc, Prompt, _M, _F, _A}, Enc, Mode, Acc) ->
    input_at_eof(Prompt, Enc, Mode, Acc);
request({get_chars, Prompt, _N}, Enc, Mode, Acc) ->
    input_at_eof(Prompt, Enc, Mode, Acc);
request({get_line, Prompt}, Enc, Mode, Acc) ->
    input_at_eof(Prompt, Enc, Mode, Acc);
request({get_until, Prompt, _M, _F, _A}, Enc, Mode, Acc) ->
    input_at_eof(Prompt, Enc, Mode, Acc);
request(getopts, Enc, Mode, Acc) ->
    {[{binary, Mode =:= binary}, {encoding, Enc}], Enc, Mode, Acc};
request({setopts, Opts}, Enc, Mode, Acc) when is_list(Opts) ->
    setopts(Opts, Enc, Mode, Acc);
request({get_geometry, _}, Enc, Mode, Acc) ->
    %% stdout is not a terminal.
    {{error, enotsup}, Enc, Mode, Acc};
request({requests, Requests}, Enc, Mode, Acc) ->
    requests(Requests, {ok, Enc, Mode, Acc});
request(Other, Enc, Mode, Acc) ->
    {{error, {request, Other}}, Enc, Mode, Acc}.

requests([], Result) ->
    Result;
requests([R | Rs], {ok, Enc, Mode, Acc}) ->
    requests(Rs, request(R, Enc, Mode, Acc));
requests(_, Error) ->
    Error.

put_chars(error, Enc, Mode, Acc) ->
    {{error, put_chars}, Enc, Mode, Acc};
put_chars(Bin, Enc, Mode, Acc) ->
    {ok, Enc, Mode, [Bin | Acc]}.

%% Stdin is empty: every read sees end of file, after the prompt is written.
input_at_eof('', Enc, Mode, Acc) ->
    {eof, Enc, Mode, Acc};
input_at_eof(Prompt, Enc, Mode, Acc) ->
    case to_device(io_lib:format_prompt(Prompt, Enc), unicode, Enc) of
        error -> {{error, get_line}, Enc, Mode, Acc};
        Bin -> {eof, Enc, Mode, [Bin | Acc]}
    end.

%% Characters in encoding From as the bytes a device in encoding To writes.
%% A latin1 device shows what it cannot encode as \x{HEX}.
to_device(Chars, unicode, latin1) ->
    case catch unicode:characters_to_binary(Chars, unicode, latin1) of
        Bin when is_binary(Bin) ->
            Bin;
        _ ->
            case catch unicode:characters_to_list(Chars, unicode) of
                List when is_list(List) ->
                    list_to_binary([escape_wide(C) || C <- List]);
                _ ->
                    error
            end
    end;
to_device(Bin, Same, Same) when is_binary(Bin) ->
    Bin;
to_device(Chars, From, To) ->
    case catch unicode:characters_to_binary(Chars, From, To) of
        Bin when is_binary(Bin) -> Bin;
        _ -> error
    end.

escape_wide(C) when C > 255 -> ["\\x{", integer_to_list(C, 16), $}];
escape_wide(C) -> C.

setopts(Opts0, Enc, Mode, Acc) ->
    Opts = proplists:unfold(
        proplists:substitute_negations([{list, binary}], [expand_encoding(O) || O <- Opts0])
    ),
    case lists:all(fun valid_opt/1, Opts) of
        false ->
            {{error, enotsup}, Enc, Mode, Acc};
        true ->
            Enc1 =
                case proplists:get_value(encoding, Opts) of
                    utf8 -> unicode;
                    unicode -> unicode;
                    latin1 -> latin1;
                    undefined -> Enc
                end,
            Mode1 =
                case proplists:get_value(binary, Opts) of
                    true -> binary;
                    false -> list;
                    undefined -> Mode
                end,
            {ok, Enc1, Mode1, Acc}
    end.

expand_encoding(latin1) -> {encoding, latin1};
expand_encoding(unicode) -> {encoding, unicode};
expand_encoding(Opt) -> Opt.

valid_opt({binary, _}) -> true;
valid_opt({encoding, E}) -> E =:= latin1 orelse E =:= utf8 orelse E =:= unicode;
valid_opt(_) -> false.
