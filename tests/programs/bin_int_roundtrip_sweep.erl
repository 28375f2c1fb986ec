-module(bin_int_roundtrip_sweep).
-export([main/0]).

%% Every size from 1 to 70 bits, both endiannesses, signed and unsigned.
main() ->
    Results = [check(Size, V) || Size <- lists:seq(1, 70), V <- values(Size)],
    io:format("~w checks, ~w failures~n", [length(Results), length([R || R <- Results, R =/= ok])]),
    io:format("~w~n", [[R || R <- Results, R =/= ok]]),
    io:format("~w~n", [<<-1:13/little, 5:11/little>>]),
    io:format("~w~n", [[V || <<V:9/little-signed>> <= <<255, 255, 0, 1, 2, 3, 4, 5, 6>>]]).

values(Size) -> lists:usort([0, 1, (1 bsl Size) - 1, 1 bsl (Size - 1), (1 bsl Size) div 3]).

check(Size, V) ->
    <<UB:Size/big>> = <<V:Size/big>>,
    <<UL:Size/little>> = <<V:Size/little>>,
    <<SB:Size/big-signed>> = <<V:Size/big>>,
    <<SL:Size/little-signed>> = <<V:Size/little>>,
    Signed = if V >= 1 bsl (Size - 1) -> V - (1 bsl Size); true -> V end,
    case {UB, UL, SB, SL} of
        {V, V, Signed, Signed} -> ok;
        Other -> {Size, V, Other}
    end.
