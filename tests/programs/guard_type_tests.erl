-module(guard_type_tests).
-export([main/0]).

main() ->
    Values = [42, -1, 1 bsl 80, 3.14, atom, true, "list", [], [1 | 2], {t}, {}, #{}, #{a => 1},
              <<"bin">>, <<1:3>>, fun() -> ok end, fun lists:map/2, self(), make_ref()],
    lists:foreach(fun(V) -> io:format("~w~n", [kinds(V)]) end, Values).

kinds(V) ->
    [K || {K, true} <- [{integer, is_integer(V)}, {float, is_float(V)}, {number, is_number(V)},
                        {atom, is_atom(V)}, {boolean, is_boolean(V)}, {list, is_list(V)},
                        {tuple, is_tuple(V)}, {map, is_map(V)}, {binary, is_binary(V)},
                        {bitstring, is_bitstring(V)}, {function, is_function(V)},
                        {function0, is_function(V, 0)}, {pid, is_pid(V)}, {reference, is_reference(V)},
                        {port, is_port(V)}, {record_t, is_record(V, t, 1)}]] ++ [guard_kind(V)].

guard_kind(V) when is_integer(V), V > 0 -> pos_int;
guard_kind(V) when is_integer(V) -> other_int;
guard_kind(V) when is_float(V); is_atom(V) -> float_or_atom;
guard_kind(V) when is_list(V), length(V) > 0 -> nonempty_list;
guard_kind(V) when is_map(V), map_size(V) =:= 0 -> empty_map;
guard_kind(V) when is_binary(V) -> binary;
guard_kind(_) -> other.
