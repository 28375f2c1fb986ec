-module(display_floats).
-export([main/0]).

main() ->
    lists:foreach(fun erlang:display/1,
                  [0.0, 1.0, -1.5, 0.1, 3.141592653589793, 1.0e10, 1.0e-10, 123456.789,
                   1.0e300, -2.5e-300, 100.0, 0.5, 2.0e22, 1 / 3]),
    erlang:display([1.5, 2.25]),
    erlang:display({pi, math:pi()}).
