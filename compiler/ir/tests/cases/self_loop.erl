-module(self_loop).
-export([len/1]).

%% len/2 calls itself in tail position: a jump back to the loop header,
%% where the reduction check goes.
len(L) -> len(L, 0).

len([], N) -> N;
len([_ | T], N) -> len(T, N + 1).
