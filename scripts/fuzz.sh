#!/bin/sh
# scripts/fuzz.sh BUILD_DIR SECONDS — run each libFuzzer target of eddy for
# SECONDS on a scratch copy of its corpus (the checked-in corpora stay as
# they are; new inputs are left in the copy). A crash, leak, timeout or
# sanitizer report stops with the reproducer saved as
# BUILD_DIR/fuzz-artifacts/TARGET-crash-...; exit 1 then, else 0.
set -eu
build=${1:-build-fuzz}
seconds=${2:-60}
root=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d /tmp/eddy-fuzz.XXXXXX)
trap 'rm -rf "$work"' EXIT
mkdir -p "$build/fuzz-artifacts"
art=$(cd "$build/fuzz-artifacts" && pwd)
rc=0
for spec in fuzz_parser:tests/parser/corpus fuzz_json_decode:tests/connectors/corpus \
            fuzz_checkpoint:tests/engine/ckpt_corpus; do
    t=${spec%%:*}
    mkdir -p "$work/$t"
    cp -r "$root/${spec#*:}/." "$work/$t/"
    echo "== $t: $seconds s"
    if ! "$build/$t" -max_total_time="$seconds" -timeout=5 -rss_limit_mb=2048 -print_final_stats=1 \
         -artifact_prefix="$art/$t-" "$work/$t" > "$work/$t.log" 2>&1; then
        tail -n 40 "$work/$t.log"
        echo "fuzz.sh: $t found a problem; reproducer in $art" >&2
        rc=1
    else
        grep -E '^stat::number_of_executed_units|^Done' "$work/$t.log" || true
    fi
done
exit $rc
