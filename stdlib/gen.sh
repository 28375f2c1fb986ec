#!/bin/sh
# Regenerates stdlib/core/*.core, the Core Erlang of Coral's preloaded
# modules that the coral binary embeds, from stdlib/src/*.erl.
# compiler/tests/stdlib_sync.rs fails when the committed files differ from
# what this writes. Run from anywhere; needs erlc (Erlang/OTP 25).
set -eu
cd "$(dirname "$0")"
mkdir -p core
for f in src/*.erl; do
    erlc +to_core -o core "$f"
done
