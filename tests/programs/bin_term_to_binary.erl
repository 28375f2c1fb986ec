-module(bin_term_to_binary).
-export([main/0]).

%% The external term format must be byte-exact.
main() ->
    Terms = [0, 255, 256, -1, 1 bsl 31, 1 bsl 64, -(1 bsl 100), 1.5, -0.0, atom, 'UPPER', "",
             "string", [1, 2, 300], [a | b], {}, {a, {b, c}}, <<>>, <<1, 2, 3>>, <<1:3>>,
             #{}, #{a => 1, b => [2]}, 'héllo', [{k, "v"}], list_to_tuple(lists:seq(1, 300)),
             lists:seq(1, 10), fun lists:map/2],
    lists:foreach(
        fun(T) ->
            B = term_to_binary(T),
            Back = binary_to_term(B),
            io:format("~w ~w~n", [byte_size(B), Back =:= T]),
            case byte_size(B) < 60 of
                true -> io:format("  ~w~n", [B]);
                false -> io:format("  crc ~w~n", [erlang:crc32(B)])
            end
        end,
        Terms
    ),
    C = term_to_binary(lists:duplicate(100, <<"repeat">>), [compressed]),
    io:format("~w~n", [binary_to_term(C) =:= lists:duplicate(100, <<"repeat">>)]),
    io:format("~w~n", [term_to_binary(1.5, [{minor_version, 0}])]),
    io:format("~w~n", [term_to_binary(atom, [{minor_version, 1}])]),
    io:format("~p~n", [try binary_to_term(<<131, 200>>) catch error:R -> R end]),
    io:format("~w~n", [erlang:external_size({a, "b", <<"c">>})]).
