-module(andalso_guard).
-export([small/1]).

%% erlc wraps this guard in try ... catch -> false.
small(X) when is_integer(X) andalso (X > 0 orelse abs(X) < 10) -> yes;
small(_) -> no.
