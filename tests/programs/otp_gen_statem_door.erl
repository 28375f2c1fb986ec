-module(otp_gen_statem_door).
-behaviour(gen_statem).
-export([main/0]).
-export([init/1, callback_mode/0, locked/3, open/3]).

%% A code lock as a state machine.
main() ->
    {ok, Pid} = gen_statem:start(?MODULE, [1, 2, 3], []),
    io:format("~p~n", [gen_statem:call(Pid, state)]),
    [gen_statem:cast(Pid, {button, B}) || B <- [1, 2, 9]],
    io:format("~p~n", [gen_statem:call(Pid, state)]),
    [gen_statem:cast(Pid, {button, B}) || B <- [1, 2, 3]],
    io:format("~p~n", [gen_statem:call(Pid, state)]),
    timer:sleep(600),
    io:format("~p~n", [gen_statem:call(Pid, state)]),
    io:format("~p~n", [gen_statem:call(Pid, attempts)]),
    gen_statem:stop(Pid).

callback_mode() -> state_functions.

init(Code) -> {ok, locked, #{code => Code, input => [], attempts => 0}}.

locked(cast, {button, B}, D = #{code := Code, input := In, attempts := A}) ->
    Input = In ++ [B],
    if
        Input =:= Code -> {next_state, open, D#{input := [], attempts := A + 1}, [{state_timeout, 300, lock}]};
        length(Input) >= length(Code) -> {keep_state, D#{input := [], attempts := A + 1}};
        true -> {keep_state, D#{input := Input}}
    end;
locked({call, From}, Req, D) -> handle_common(From, Req, locked, D).

open(state_timeout, lock, D) -> {next_state, locked, D};
open(cast, {button, _}, _D) -> keep_state_and_data;
open({call, From}, Req, D) -> handle_common(From, Req, open, D).

handle_common(From, state, State, _D) -> {keep_state_and_data, [{reply, From, State}]};
handle_common(From, attempts, _State, #{attempts := A}) -> {keep_state_and_data, [{reply, From, A}]}.
