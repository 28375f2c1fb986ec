-module(catch_expr).
-export([safe/2]).

%% A catch whose value is used after, with a value (K) live across it.
safe(F, K) ->
    R = (catch F()),
    {K, R}.
