%% Starts a Coral program.
%%
%% The drivers (`coral run` and native executables) run the entry function
%% Module:Function(Args...) by calling start(Module, Function, Args) in the
%% program's first process. It gives that process what `erl -noshell -eval`
%% gives the evaluating process: I/O servers for standard output (registered
%% `user`, and the group leader) and standard error (`standard_error`), and
%% `trap_exit` set. It also makes the ETS table in which OTP's application
%% controller keeps application environments (`ac_tab`), empty since no
%% application is loaded, so application:get_env/2 and the OTP code that asks
%% it (proc_lib, error_logger, ...) answer `undefined` as they would for an
%% unset key. Then it applies the entry as a tail call, so the entry's result
%% and exceptions are the process's own.
-module(coral_boot).
-export([start/3]).

-spec start(module(), atom(), [term()]) -> term().
start(Module, Function, Args) ->
    User = coral_io_server:start(1),
    true = register(user, User),
    StdErr = coral_io_server:start(2),
    true = register(standard_error, StdErr),
    true = group_leader(User, self()),
    _ = process_flag(trap_exit, true),
    ac_tab = ets:new(ac_tab, [set, public, named_table, {read_concurrency, true}]),
    erlang:apply(Module, Function, Args).
