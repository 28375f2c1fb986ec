-module(exc_exit_normal_catch).
-export([main/0]).

main() ->
    io:format("~p~n", [try exit(normal) catch exit:normal -> caught_normal end]),
    io:format("~p~n", [catch exit(normal)]),
    io:format("~p~n", [try exit({shutdown, reason}) catch exit:R -> R end]),
    Parent = self(),
    Pid = spawn(fun() ->
        Result = try exit(normal) catch exit:normal -> survived end,
        Parent ! {self(), Result}
    end),
    receive {Pid, Res} -> io:format("child: ~p~n", [Res]) end,
    io:format("~p~n", [try error(normal) catch error:normal -> error_normal_is_not_exit end]).
