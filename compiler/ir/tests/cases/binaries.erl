-module(binaries).
-export([swap/1, build/3]).

swap(<<A:8, B:16/little, Rest/binary>>) -> {A, B, Rest};
swap(<<N:4, _:N/bits, _/bits>>) -> N;
swap(_) -> error.

build(X, F, S) -> <<X:32/signed, F/float, S/binary, "ok", X/utf8>>.
