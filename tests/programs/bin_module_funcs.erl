-module(bin_module_funcs).
-export([main/0]).

main() ->
    B = <<"the cat sat on the mat">>,
    io:format("~p~n", [binary:split(B, <<" ">>)]),
    io:format("~p~n", [binary:split(B, <<" ">>, [global])]),
    io:format("~p~n", [binary:split(B, [<<"at">>, <<"on">>], [global, trim])]),
    io:format("~p~n", [binary:replace(B, <<"at">>, <<"og">>, [global])]),
    io:format("~p~n", [binary:replace(B, <<"the">>, <<"[]">>, [{insert_replaced, 1}])]),
    io:format("~p~n", [binary:match(B, <<"sat">>)]),
    io:format("~p~n", [binary:match(B, <<"dog">>)]),
    io:format("~p~n", [binary:matches(B, <<"at">>)]),
    io:format("~p ~p ~p~n", [binary:first(B), binary:last(B), binary:at(B, 4)]),
    io:format("~p~n", [binary:part(B, 4, 3)]),
    io:format("~p~n", [binary:bin_to_list(B, 0, 3)]),
    io:format("~p~n", [binary:list_to_bin([<<"x">>, "y", $z])]),
    io:format("~p~n", [binary:decode_unsigned(<<1, 0, 0>>)]),
    io:format("~p~n", [binary:decode_unsigned(<<1, 0, 0>>, little)]),
    io:format("~p~n", [binary:encode_unsigned(65536)]),
    io:format("~p~n", [binary:encode_unsigned(1 bsl 80, little)]),
    io:format("~p~n", [binary:longest_common_prefix([<<"interview">>, <<"internet">>, <<"interval">>])]),
    io:format("~p~n", [binary:longest_common_suffix([<<"running">>, <<"jumping">>])]),
    io:format("~p~n", [binary:copy(<<"-">>, 10)]),
    io:format("~p~n", [binary:encode_hex(<<"Coral">>)]),
    io:format("~p~n", [binary:decode_hex(<<"436F72616C">>)]),
    io:format("~p~n", [try binary:at(B, 100) catch error:R -> R end]).
