%% Coral's logger: the API of OTP's `logger` that libraries and programs
%% call, without OTP's logger process and configuration tables.
%%
%% Log events pass the primary level and any module level (set with
%% set_module_level/2), then go to each handler: the `default` handler writes
%% them to standard error, in the layout of OTP's default formatter
%% (`=LEVEL REPORT====` and the text); handlers added with
%% add_handler/3 get `Module:log(LogEvent, Config)`. Events are formatted in
%% the logging process, as OTP's handlers do. Configuration lives in
%% persistent terms, so every process sees it at once; process metadata in
%% the process dictionary, as in OTP.
-module(logger).

-export([allow/2, macro_log/3, macro_log/4, macro_log/5,
         log/2, log/3, log/4,
         emergency/1, emergency/2, emergency/3, alert/1, alert/2, alert/3,
         critical/1, critical/2, critical/3, error/1, error/2, error/3,
         warning/1, warning/2, warning/3, notice/1, notice/2, notice/3,
         info/1, info/2, info/3, debug/1, debug/2, debug/3,
         compare_levels/2,
         set_primary_config/1, set_primary_config/2, get_primary_config/0,
         update_primary_config/1,
         set_module_level/2, unset_module_level/0, unset_module_level/1,
         get_module_level/0, get_module_level/1,
         add_handler/3, remove_handler/1, get_handler_config/0,
         get_handler_config/1, set_handler_config/2, set_handler_config/3,
         update_handler_config/2, update_handler_config/3, get_handler_ids/0,
         get_config/0,
         set_process_metadata/1, update_process_metadata/1,
         get_process_metadata/0, unset_process_metadata/0]).

-define(PRIMARY, {logger, primary}).
-define(MODULES, {logger, module_levels}).
-define(HANDLERS, {logger, handlers}).
-define(METADATA, '$logger_metadata$').

%% ----- levels ---------------------------------------------------------------

severity(emergency) -> 0;
severity(alert) -> 1;
severity(critical) -> 2;
severity(error) -> 3;
severity(warning) -> 4;
severity(notice) -> 5;
severity(info) -> 6;
severity(debug) -> 7;
severity(all) -> 8;
severity(none) -> -1;
severity(Other) -> erlang:error(badarg, [Other]).

compare_levels(A, B) ->
    case {severity(A), severity(B)} of
        {X, X} -> eq;
        {X, Y} when X < Y -> gt;
        _ -> lt
    end.

%% ----- configuration -----------------------------------------------------------

primary() ->
    persistent_term:get(?PRIMARY, #{level => notice, filter_default => log,
                                     filters => [], metadata => #{}}).

get_primary_config() -> primary().

set_primary_config(level, Level) ->
    _ = severity(Level),
    persistent_term:put(?PRIMARY, maps:put(level, Level, primary())),
    ok;
set_primary_config(Key, Value) when is_atom(Key) ->
    persistent_term:put(?PRIMARY, maps:put(Key, Value, primary())),
    ok;
set_primary_config(_, _) ->
    {error, badarg}.

set_primary_config(Config) when is_map(Config) ->
    Level = maps:get(level, Config, notice),
    _ = severity(Level),
    persistent_term:put(?PRIMARY, maps:merge(#{level => notice, filter_default => log,
                                               filters => [], metadata => #{}},
                                             Config)),
    ok.

update_primary_config(Config) when is_map(Config) ->
    persistent_term:put(?PRIMARY, maps:merge(primary(), Config)),
    ok.

module_levels() -> persistent_term:get(?MODULES, #{}).

set_module_level(Module, Level) when is_atom(Module) ->
    set_module_level([Module], Level);
set_module_level(Modules, Level) when is_list(Modules) ->
    _ = severity(Level),
    Levels = lists:foldl(fun(M, Acc) -> maps:put(M, Level, Acc) end,
                         module_levels(), Modules),
    persistent_term:put(?MODULES, Levels),
    ok.

unset_module_level() ->
    persistent_term:put(?MODULES, #{}),
    ok.

unset_module_level(Module) when is_atom(Module) ->
    unset_module_level([Module]);
unset_module_level(Modules) when is_list(Modules) ->
    persistent_term:put(?MODULES, maps:without(Modules, module_levels())),
    ok.

get_module_level() -> lists:sort(maps:to_list(module_levels())).

get_module_level(Module) when is_atom(Module) ->
    get_module_level([Module]);
get_module_level(Modules) ->
    [{M, L} || {M, L} <- get_module_level(), lists:member(M, Modules)].

handlers() ->
    persistent_term:get(?HANDLERS,
                        #{default => #{id => default, module => logger_std_h,
                                       level => all, filter_default => log,
                                       filters => [], config => #{type => standard_error}}}).

add_handler(Id, Module, Config) when is_atom(Id), is_atom(Module), is_map(Config) ->
    Hs = handlers(),
    case maps:is_key(Id, Hs) of
        true ->
            {error, {already_exist, Id}};
        false ->
            C = maps:merge(#{level => all, filter_default => log, filters => []},
                           Config#{id => Id, module => Module}),
            persistent_term:put(?HANDLERS, maps:put(Id, C, Hs)),
            ok
    end.

remove_handler(Id) ->
    Hs = handlers(),
    case maps:is_key(Id, Hs) of
        true ->
            persistent_term:put(?HANDLERS, maps:remove(Id, Hs)),
            ok;
        false ->
            {error, {not_found, Id}}
    end.

get_handler_ids() -> maps:keys(handlers()).

get_handler_config() -> maps:values(handlers()).

get_handler_config(Id) ->
    case maps:find(Id, handlers()) of
        {ok, C} -> {ok, C};
        error -> {error, {not_found, Id}}
    end.

set_handler_config(Id, Config) when is_map(Config) ->
    case maps:find(Id, handlers()) of
        {ok, Old} ->
            New = maps:merge(#{level => all, filter_default => log, filters => []},
                             Config#{id => Id, module => maps:get(module, Old)}),
            persistent_term:put(?HANDLERS, maps:put(Id, New, handlers())),
            ok;
        error ->
            {error, {not_found, Id}}
    end.

set_handler_config(Id, Key, Value) ->
    update_handler_config(Id, #{Key => Value}).

update_handler_config(Id, Config) when is_map(Config) ->
    case maps:find(Id, handlers()) of
        {ok, Old} ->
            persistent_term:put(?HANDLERS, maps:put(Id, maps:merge(Old, Config), handlers())),
            ok;
        error ->
            {error, {not_found, Id}}
    end.

update_handler_config(Id, Key, Value) ->
    update_handler_config(Id, #{Key => Value}).

get_config() ->
    #{primary => primary(), handlers => get_handler_config(),
      module_levels => get_module_level()}.

%% ----- process metadata ------------------------------------------------------------

set_process_metadata(Meta) when is_map(Meta) ->
    _ = put(?METADATA, Meta),
    ok.

update_process_metadata(Meta) when is_map(Meta) ->
    set_process_metadata(maps:merge(get_process_metadata(), Meta)).

get_process_metadata() ->
    case get(?METADATA) of
        undefined -> #{};
        M -> M
    end.

unset_process_metadata() ->
    _ = erase(?METADATA),
    ok.

%% ----- logging ------------------------------------------------------------------------

allow(Level, Module) ->
    Configured = case maps:find(Module, module_levels()) of
                     {ok, L} -> L;
                     error -> maps:get(level, primary())
                 end,
    severity(Level) =< severity(Configured).

macro_log(Location, Level, StringOrReport) ->
    macro_log(Location, Level, StringOrReport, #{}).

macro_log(Location, Level, StringOrReport, Meta) when is_map(Meta) ->
    dispatch(Level, {msg(StringOrReport), maps:merge(Location, Meta)});
macro_log(Location, Level, Format, Args) ->
    dispatch(Level, {{Format, Args}, Location}).

macro_log(Location, Level, Format, Args, Meta) ->
    dispatch(Level, {{Format, Args}, maps:merge(Location, Meta)}).

msg(Report) when is_map(Report); is_list(Report), Report =/= [], is_tuple(hd(Report)) ->
    {report, Report};
msg(String) ->
    {string, String}.

log(Level, StringOrReport) -> log(Level, StringOrReport, #{}).

log(Level, StringOrReport, Meta) when is_map(Meta) ->
    log_allowed(Level, {msg(StringOrReport), Meta});
log(Level, Format, Args) ->
    log_allowed(Level, {{Format, Args}, #{}}).

log(Level, Format, Args, Meta) ->
    log_allowed(Level, {{Format, Args}, Meta}).

log_allowed(Level, Event) ->
    Module = maps:get(mfa, element(2, Event), {undefined, x, 0}),
    case allow(Level, element(1, Module)) of
        true -> dispatch(Level, Event);
        false -> ok
    end.

emergency(A) -> log(emergency, A).
emergency(A, B) -> log(emergency, A, B).
emergency(A, B, C) -> log(emergency, A, B, C).
alert(A) -> log(alert, A).
alert(A, B) -> log(alert, A, B).
alert(A, B, C) -> log(alert, A, B, C).
critical(A) -> log(critical, A).
critical(A, B) -> log(critical, A, B).
critical(A, B, C) -> log(critical, A, B, C).
error(A) -> log(error, A).
error(A, B) -> log(error, A, B).
error(A, B, C) -> log(error, A, B, C).
warning(A) -> log(warning, A).
warning(A, B) -> log(warning, A, B).
warning(A, B, C) -> log(warning, A, B, C).
notice(A) -> log(notice, A).
notice(A, B) -> log(notice, A, B).
notice(A, B, C) -> log(notice, A, B, C).
info(A) -> log(info, A).
info(A, B) -> log(info, A, B).
info(A, B, C) -> log(info, A, B, C).
debug(A) -> log(debug, A).
debug(A, B) -> log(debug, A, B).
debug(A, B, C) -> log(debug, A, B, C).

%% An event that passed the levels: to every handler whose level lets it
%% through.
dispatch(Level, {Msg, Meta0}) ->
    Meta = maps:merge(#{pid => self(), gl => group_leader(),
                        time => erlang:system_time(microsecond)},
                      maps:merge(get_process_metadata(), Meta0)),
    Event = #{level => Level, msg => Msg, meta => Meta},
    lists:foreach(
      fun(#{id := default} = C) ->
              case severity(Level) =< severity(maps:get(level, C, all)) of
                  true -> write_default(Event);
                  false -> ok
              end;
         (#{module := Module} = C) ->
              case severity(Level) =< severity(maps:get(level, C, all)) of
                  true -> catch Module:log(Event, C);
                  false -> ok
              end
      end,
      maps:values(handlers())),
    ok.

%% The default handler: OTP's default layout (without the date), on
%% standard error. It formats with io_lib, which a program that logs has
%% loaded; a report it cannot format is printed as a term.
write_default(#{level := Level, msg := Msg, meta := Meta}) ->
    Header = ["=", upper(atom_to_list(Level)), " REPORT====\n"],
    %% A handler never takes its caller down (OTP's logger removes a
    %% failing handler; this one prints what it can).
    Text = try format_msg(Msg, Meta)
           catch _:_ ->
                   try io_lib:format("~tp", [Msg])
                   catch _:_ -> "(a report that could not be formatted)"
                   end
           end,
    _ = (catch io:put_chars(standard_error, [Header, Text, $\n])),
    ok.

upper(S) -> [if C >= $a, C =< $z -> C - 32; true -> C end || C <- S].

format_msg({string, S}, _Meta) ->
    S;
format_msg({report, R}, #{report_cb := Cb}) when is_function(Cb, 1) ->
    {Format, Args} = Cb(R),
    io_lib:format(Format, Args);
format_msg({report, R}, #{report_cb := Cb}) when is_function(Cb, 2) ->
    Cb(R, #{depth => unlimited, chars_limit => unlimited, single_line => false});
format_msg({report, R}, _Meta) ->
    io_lib:format("~tp", [R]);
format_msg({Format, Args}, _Meta) ->
    io_lib:format(Format, Args).
