%% An I/O server for a file descriptor: the group leader behind `io` in
%% every Coral program (see coral_boot).
%%
%% It speaks the Erlang I/O protocol ({io_request, From, ReplyAs, Request},
%% answered by {io_reply, ReplyAs, Reply}) the way OTP 25's `user` server
%% does under `erl -noshell` when standard output is not a terminal: the
%% device encoding is latin1 until io:setopts/1 changes it, and a character
%% a latin1 device cannot hold is written as \x{HEX}. Output goes straight to
%% the descriptor through the runtime's coral_io:put_chars/4, which converts
%% the characters and writes them before the reply is sent, so a process
%% whose io call has returned knows its output is out, in order with
%% erlang:display/1. Reading is not supported yet: standard input is taken
%% to be at end of file.
%%
%% This module must call only BIFs, and modules a client has loaded when it
%% sends the request that needs them (io_lib, for prompts, behind io): the
%% OTP loader does not follow its references.
-module(coral_io_server).
-export([start/1]).

%% The device's state: its descriptor, encoding and read mode.
-record(state, {fd :: 1 | 2, encoding = latin1 :: latin1 | unicode, mode = list :: list | binary}).

%% Starts a server writing to file descriptor Fd (1 or 2).
-spec start(1 | 2) -> pid().
start(Fd) ->
    spawn(fun() -> loop(#state{fd = Fd}) end).

loop(State) ->
    receive
        {io_request, From, ReplyAs, Request} when is_pid(From) ->
            {Reply, State1} = request(Request, State),
            From ! {io_reply, ReplyAs, Reply},
            loop(State1);
        _Other ->
            loop(State)
    end.

%% One request: its reply and the new state.
request({put_chars, InEnc, Chars}, State) when InEnc =:= latin1; InEnc =:= unicode ->
    {put_chars(Chars, InEnc, State), State};
request({put_chars, InEnc, M, F, A}, State) when InEnc =:= latin1; InEnc =:= unicode ->
    case catch apply(M, F, A) of
        Chars when is_list(Chars); is_binary(Chars) ->
            {put_chars(Chars, InEnc, State), State};
        _ ->
            {{error, put_chars}, State}
    end;
request({put_chars, Chars}, State) ->
    request({put_chars, latin1, Chars}, State);
request({put_chars, M, F, A}, State) ->
    request({put_chars, latin1, M, F, A}, State);
request({get_chars, _InEnc, Prompt, _N}, State) ->
    at_eof(Prompt, State);
request({get_line, _InEnc, Prompt}, State) ->
    at_eof(Prompt, State);
request({get_until, _InEnc, Prompt, _M, _F, _A}, State) ->
    at_eof(Prompt, State);
request({get_chars, Prompt, _N}, State) ->
    at_eof(Prompt, State);
request({get_line, Prompt}, State) ->
    at_eof(Prompt, State);
request({get_until, Prompt, _M, _F, _A}, State) ->
    at_eof(Prompt, State);
request(getopts, #state{encoding = Enc, mode = Mode} = State) ->
    {[{binary, Mode =:= binary}, {encoding, Enc}], State};
request({setopts, Opts}, State) when is_list(Opts) ->
    setopts(Opts, State);
request({get_geometry, _}, State) ->
    %% Not a terminal.
    {{error, enotsup}, State};
request({requests, Requests}, State) when is_list(Requests) ->
    requests(Requests, {ok, State});
request(Other, State) ->
    {{error, {request, Other}}, State}.

%% A list of requests: the reply of the last, or of the first that fails.
requests([], Result) ->
    Result;
requests([R | Rs], {ok, State}) ->
    requests(Rs, request(R, State));
requests(_, Result) ->
    Result.

put_chars(Chars, InEnc, #state{fd = Fd, encoding = Enc}) ->
    case coral_io:put_chars(Fd, Chars, InEnc, Enc) of
        ok -> ok;
        error -> {error, put_chars}
    end.

%% Standard input is at end of file: a read writes its prompt and sees eof.
at_eof('', State) ->
    {eof, State};
at_eof(Prompt, #state{fd = Fd, encoding = Enc} = State) ->
    case catch coral_io:put_chars(Fd, io_lib:format_prompt(Prompt, Enc), unicode, Enc) of
        ok -> {eof, State};
        _ -> {{error, get_line}, State}
    end.

%% io:setopts/1: `binary`, `list`, `{binary, B}`, `latin1`, `unicode` and
%% `{encoding, E}`; the first setting of each counts, as proplists:get_value/2
%% would find it. Any other option fails the whole request.
setopts(Opts, #state{encoding = Enc0, mode = Mode0} = State) ->
    case options(Opts, undefined, undefined) of
        {ok, Enc, Mode} ->
            {ok, State#state{encoding = first(Enc, Enc0), mode = first(Mode, Mode0)}};
        error ->
            {{error, enotsup}, State}
    end.

%% The encoding and the mode Opts set first (undefined if none).
options([], Enc, Mode) ->
    {ok, Enc, Mode};
options([Opt | Opts], Enc, Mode) ->
    case option(Opt) of
        {encoding, E} -> options(Opts, first(Enc, E), Mode);
        {mode, M} -> options(Opts, Enc, first(Mode, M));
        error -> error
    end;
options(_, _, _) ->
    error.

first(undefined, Value) -> Value;
first(Set, _) -> Set.

option(binary) -> {mode, binary};
option(list) -> {mode, list};
option({binary, true}) -> {mode, binary};
option({binary, false}) -> {mode, list};
option({list, true}) -> {mode, list};
option({list, false}) -> {mode, binary};
option(latin1) -> {encoding, latin1};
option(unicode) -> {encoding, unicode};
option({encoding, latin1}) -> {encoding, latin1};
option({encoding, unicode}) -> {encoding, unicode};
option({encoding, utf8}) -> {encoding, unicode};
option(_) -> error.
