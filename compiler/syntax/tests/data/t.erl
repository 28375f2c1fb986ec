-module(t).
-export([main/0]).
-record(r, {a, b = 2}).
main() ->
    X = #r{a = 1},
    M = #{a => 1, b => X},
    B = <<1:8, 2.0/float, "ab", (byte_size(<<>>)):16/little>>,
    receive after 0 -> ok end,
    try erlang:display({X, M, B}) of _ -> ok catch C:R:S -> {C,R,S} end,
    case M of #{a := 1} = Q -> Q; _ -> catch 1 end,
    F = fun(Y) when Y > 0 -> Y; (_) -> $a end,
    [F(Z) || Z <- [1,2], Z > 1],
    <<A:4, _/bits>> = B, A.
