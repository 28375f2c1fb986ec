-module(list_comp).
-export([evens/2]).

%% The comprehension becomes a separate function with the free variable
%% K as an extra argument.
evens(L, K) -> [X * K || X <- L, X rem 2 =:= 0].
