#!/usr/bin/env bash
# Scale benchmark: each hostile input at a quarter, half and the full size
# the hardening issue names, built (or checked) by the release binary. The
# time per unit staying flat from one size to the next is what "linear" means
# here; tests/scale.rs runs small versions of the same inputs in `cargo test`.
#
#   bash bench/scale.sh              # every input
#   ONLY="terms nested" bash bench/scale.sh
#   RUNS=3 bash bench/scale.sh       # median of 3 (default 1)
#   DUBEN=/path/to/duben bash bench/scale.sh   # a binary already built
#
# Full sizes: 30,000 glossary terms that occur nowhere and whose pinyin does
# not fit (check: 60,000 warnings, rendered as the human report); 30,000 paragraphs; one 4 MB
# paragraph; blockquotes nested 100,000 deep; 5,000 broken timeline entries.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
ONLY=${ONLY:-"terms paragraphs huge nested broken"}
RUNS=${RUNS:-1}
WORK=$(mktemp -d -t duben-scale.XXXXXX)
trap 'rm -rf "$WORK"' EXIT

if [ -z "${DUBEN:-}" ]; then
    cargo build --release --quiet --manifest-path "$ROOT/Cargo.toml"
    DUBEN="$ROOT/target/release/duben"
fi

# make KIND N DIR: writes the site for one input of size N.
make() {
    python3 - "$1" "$2" "$3" <<'PY'
import os, sys
kind, n, root = sys.argv[1], int(sys.argv[2]), sys.argv[3]
def w(path, text):
    path = os.path.join(root, path)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)
w("site.toml", 'title = "读本"\n')
text = "中美关系的历史。\n"
glossary, timeline = "", ""
if kind == "terms":
    glossary = "".join(
        # Two characters and one syllable: each term is unused and its
        # pinyin does not fit, two warnings per term.
        f'[[term]]\nid = "t{i}"\nzh = "{chr(0x4E00 + i // 1000)}{chr(0x4E00 + i % 1000)}"\npinyin = "Wú"\ndefinition = "x"\n\n'
        for i in range(n))
elif kind == "paragraphs":
    text = "".join(f"第{p}段，中美关系的历史。\n\n" for p in range(n))
elif kind == "huge":
    unit = "中美关系的历史很长，"  # 30 bytes
    text = unit * (n // len(unit.encode())) + "\n"
elif kind == "nested":
    text = ">" * n + " 深\n"
elif kind == "broken":
    timeline = "".join(
        f'[[event]]\nid = "e{i}"\ndate = "2018-02-30"\ntitle = "x"\n\n' for i in range(n))
w("content/glossary.toml", glossary)
w("content/timeline.toml", timeline)
w("content/a/article.toml", 'title = "文章"\n')
w("content/a/text.md", text)
PY
}

full_size() {
    case $1 in
        terms) echo 30000 ;;
        paragraphs) echo 30000 ;;
        huge) echo 4194304 ;;
        nested) echo 100000 ;;
        broken) echo 5000 ;;
    esac
}

command_for() {
    case $1 in
        terms | broken) echo check ;;
        *) echo build ;;
    esac
}

echo "| input | size | command | exit | diagnostics | seconds (median of $RUNS) | µs per unit |"
echo "| --- | ---: | --- | ---: | ---: | ---: | ---: |"
for kind in $ONLY; do
    full=$(full_size "$kind")
    for divisor in 4 2 1; do
        n=$((full / divisor))
        site="$WORK/$kind-$n"
        make "$kind" "$n" "$site"
        cmd=$(command_for "$kind")
        times=()
        for _ in $(seq "$RUNS"); do
            start=$(date +%s.%N)
            set +e
            if [ "$cmd" = build ]; then
                "$DUBEN" build --root "$site" --output "$WORK/out-$kind" >"$WORK/stdout" 2>"$WORK/stderr"
            else
                "$DUBEN" check --root "$site" >"$WORK/stdout" 2>"$WORK/stderr"
            fi
            code=$?
            set -e
            end=$(date +%s.%N)
            times+=("$(echo "$end - $start" | bc)")
        done
        median=$(printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
        diagnostics=$(cat "$WORK/stdout" "$WORK/stderr" | grep -cE '^(error|warning)\[' || true)
        per=$(echo "scale=3; $median * 1000000 / $n" | bc)
        echo "| $kind | $n | $cmd | $code | $diagnostics | $median | $per |"
        rm -rf "$site" "$WORK/out-$kind"
    done
done
