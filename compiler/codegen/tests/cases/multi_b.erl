%% The second module of multi_a's test.
-module(multi_b).
-export([double/1, chain/1]).

double(X) -> X * 2.

chain(0) -> [];
chain(N) -> [multi_a_helper(N) | chain(N - 1)].

multi_a_helper(N) -> {N, double(N)}.
