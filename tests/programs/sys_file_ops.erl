-module(sys_file_ops).
-export([main/0]).

%% Files and directories through file:write_file/2, read_file/1,
%% list_dir/1, rename/2, delete/1, make_dir/1, del_dir/1, get_cwd/0, in a
%% fresh directory under /tmp.
main() ->
    Dir = "/tmp/sys_file_ops_" ++ integer_to_list(erlang:system_time())
        ++ "_" ++ integer_to_list(erlang:unique_integer([positive])),
    erlang:display(file:make_dir(Dir)),
    erlang:display(file:make_dir(Dir)),
    A = Dir ++ "/a.txt",
    B = Dir ++ "/b.txt",
    erlang:display(file:write_file(A, ["hello", $\s, <<"world">>, [$\n]])),
    erlang:display(file:read_file(A)),
    erlang:display(file:write_file(B, <<>>)),
    {ok, Names} = file:list_dir(Dir),
    erlang:display(lists:sort(Names)),
    erlang:display(file:rename(A, Dir ++ "/c.txt")),
    erlang:display(file:read_file(A)),
    {ok, Names2} = file:list_dir(Dir),
    erlang:display(lists:sort(Names2)),
    erlang:display(file:del_dir(Dir)),
    erlang:display([file:delete(Dir ++ "/" ++ N) || N <- lists:sort(Names2)]),
    erlang:display(file:delete(B)),
    erlang:display(file:del_dir(Dir)),
    erlang:display(file:list_dir(Dir)),
    erlang:display(file:write_file(Dir ++ "/x/y", <<"z">>)),
    erlang:display(file:write_file(A, {not_iodata})),
    {ok, Cwd} = file:get_cwd(),
    erlang:display(is_list(Cwd) andalso Cwd =/= []),
    ok.
