-module(bin_int_native).
-export([main/0]).

%% native follows the machine; the harness machines are little-endian, and
%% both sides run on the same one.
main() ->
    B = <<16#01020304:32/native>>,
    io:format("~w~n", [B]),
    <<X:32/native>> = B,
    io:format("~w~n", [X]),
    <<Y:32/little>> = B,
    io:format("~w~n", [Y =:= X]),
    io:format("~w~n", [<<-2:16/native-signed>>]),
    <<S:16/native-signed>> = <<-2:16/native-signed>>,
    io:format("~w~n", [S]),
    io:format("~w~n", [<<1.5:64/float-native>>]),
    <<F:32/float-native>> = <<0.25:32/float-native>>,
    io:format("~w~n", [F]),
    io:format("~w~n", [<<"a"/utf16-native, "b"/utf32-native>>]),
    <<C/utf16-native>> = <<955/utf16-native>>,
    io:format("~w~n", [C]),
    io:format("~w~n", [erlang:system_info(endian)]).
