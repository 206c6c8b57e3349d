#!/usr/bin/env bash
# The window's frame times: a scripted pan and zoom over the historical theatre (`tour`), in a
# real window under Xvfb with software Vulkan, at 1920x1080 and at 1280x720. Prints each run's
# median and 95th percentile; the README's benchmarks give the figures.
#
#   benches/frames.sh [BINARY] [FRAMES] [RUNS]
#
# BINARY defaults to target/release/august-storm (build it with `cargo build --release`).
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${1:-target/release/august-storm}
frames=${2:-600}
runs=${3:-3}
[ -x "$bin" ] || { echo "no $bin: build it with cargo build --release" >&2; exit 2; }
command -v xvfb-run >/dev/null || { echo "xvfb-run is needed (Debian: xvfb xauth mesa-vulkan-drivers)" >&2; exit 2; }
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
for size in 1920x1080 1280x720; do
    for run in $(seq 1 "$runs"); do
        XDG_RUNTIME_DIR=$out xvfb-run -a -s "-screen 0 ${size}x24" "$bin" play \
            --scenario scenarios/august_storm_1945.ron --side soviet \
            --script "tour:$frames" --frame-times "$out/$size-$run.json" 2>/dev/null |
            sed "s/^/$size run $run: /"
    done
done
