-module(sys_file_cmd).
-export([main/0]).

%% file:read_file/1 and os:cmd/1 (run on an I/O thread; the calling
%% process waits for the answer as for a message).
main() ->
    erlang:display(file:read_file("/dev/null")),
    erlang:display(file:read_file(<<"/dev/null">>)),
    erlang:display(file:read_file(['/dev', "/null"])),
    erlang:display(file:read_file("/no/such/file/here")),
    erlang:display(file:read_file("/")),
    erlang:display(file:read_file(123)),
    {ok, Self} = file:read_file("/proc/self/cmdline"),
    erlang:display(is_binary(Self)),
    erlang:display(os:cmd("echo hi; echo there")),
    erlang:display(os:cmd("printf 'a\\tb'")),
    %% A message sent before the call is still there after it.
    self() ! before,
    _ = os:cmd("true"),
    receive before -> erlang:display(kept) end,
    ok.
