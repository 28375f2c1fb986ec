-module(display_records_booleans).
-export([main/0]).

-record(cfg, {name = "default", debug = false, level = 3}).

main() ->
    erlang:display(#cfg{}),
    erlang:display((#cfg{})#cfg{debug = true}),
    erlang:display([true, false, undefined]),
    erlang:display(1 =:= 1.0),
    erlang:display(is_record(#cfg{}, cfg)),
    erlang:display(record_info(fields, cfg)),
    erlang:display(lists:keyfind(level, 1, [{name, x}, {level, 9}])).
