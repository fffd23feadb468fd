#!/usr/bin/env bash
# Builds every libFuzzer target (swiftc -sanitize=fuzzer over the parsers' own sources) and runs each
# for FUZZ_SECONDS (default 60), two at a time. Exits non-zero when a target crashes; the input that
# crashed it is left in .build/fuzz/crash-*. Usage: bash Fuzz/run.sh [seconds]
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-${FUZZ_SECONDS:-60}}"
out=.build/fuzz
mkdir -p "$out"
SWIFTC="${SWIFTC:-swiftc}"
wire=(Shared/WireFormats/*.swift)

# One file per target in Fuzz/targets/ sets targets[name] to the harness and the sources it compiles
# with: only files that import nothing but Foundation.
declare -A targets=()
for target in Fuzz/targets/*.sh; do
    # shellcheck source=/dev/null
    source "$target"
done

build() {
    local name=$1
    # The linker warns about every sanitizer symbol it cannot export; only real errors matter.
    # shellcheck disable=SC2086
    "$SWIFTC" -sanitize=fuzzer,address -parse-as-library -O -module-name "Fuzz_$name" \
        ${targets[$name]} -o "$out/$name" 2> >(grep -v "Cannot export local symbol" >&2)
}

run() {
    local name=$1
    mkdir -p "$out/corpus-$name"
    local seeds=()
    [ -d "Fuzz/corpus/$name" ] && seeds=("Fuzz/corpus/$name")
    # The Swift runtime's backtracer takes ~20 s per crash; libFuzzer's own report is enough.
    if SWIFT_BACKTRACE=enable=no "$out/$name" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=65536 \
        -artifact_prefix="$out/crash-$name-" -print_final_stats=1 "$out/corpus-$name" "${seeds[@]}" \
        >"$out/$name.log" 2>&1; then
        echo "fuzz $name: $(grep -o 'stat::number_of_executed_units: *[0-9]*' "$out/$name.log" | grep -o '[0-9]*$') runs, no crash"
    else
        echo "fuzz $name: CRASH (see $out/$name.log and $out/crash-$name-*)"
        tail -40 "$out/$name.log"
        return 1
    fi
}

# Runs "$1 name" for every target, two at a time (this machine has two cores); fails if any failed.
each() {
    local step=$1 status=0 name
    local pids=()
    for name in "${names[@]}"; do
        "$step" "$name" &
        pids+=($!)
        if [ "${#pids[@]}" -ge 2 ]; then
            wait "${pids[0]}" || status=1
            pids=("${pids[@]:1}")
        fi
    done
    for pid in "${pids[@]}"; do wait "$pid" || status=1; done
    return $status
}

mapfile -t names < <(printf '%s\n' "${!targets[@]}" | sort)
each build
each run
