-module(maps_case).
-export([update/2]).

update(#{count := C} = M, K) -> M#{count := C + 1, K => true};
update(M, K) -> M#{K => 1}.
