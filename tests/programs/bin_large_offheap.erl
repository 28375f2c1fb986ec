-module(bin_large_offheap).
-export([main/0]).

%% Binaries over 64 bytes are shared rather than copied; sub-binaries point
%% into them. Behaviour must be the same as for small ones.
main() ->
    Big = list_to_binary(lists:seq(0, 255)),
    io:format("~w~n", [byte_size(Big)]),
    <<_:100/binary, Sub:50/binary, _/binary>> = Big,
    io:format("~w~n", [Sub]),
    Self = self(),
    Pid = spawn(fun() -> receive {B, From} -> From ! {byte_size(B), binary:last(B), B} end end),
    Pid ! {Big, Self},
    receive
        {Size, Last, Back} -> io:format("~w ~w ~w~n", [Size, Last, Back =:= Big])
    end,
    Parts = [binary:part(Big, I, 64) || I <- lists:seq(0, 192, 64)],
    io:format("~w~n", [iolist_to_binary(Parts) =:= Big]),
    Huge = binary:copy(Big, 4096),
    io:format("~w ~w~n", [byte_size(Huge), erlang:crc32(Huge)]),
    io:format("~w~n", [binary:referenced_byte_size(Sub) >= 50]),
    %% A bitstring (not a whole number of bytes) is accepted too.
    <<_:1/binary, Bits/bits>> = <<Big/binary, 1:3>>,
    io:format("~w~n", [binary:referenced_byte_size(Bits) >= 256]),
    Copy = binary:copy(Sub),
    io:format("~w ~w~n", [Copy =:= Sub, byte_size(Copy)]).
