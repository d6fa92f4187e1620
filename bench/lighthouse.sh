#!/usr/bin/env bash
# Lighthouse (mobile, its default throttling) on the included site's reader
# page, served with gzip as GitHub Pages serves it. Lighthouse is installed
# into $LIGHTHOUSE_HOME (default /tmp/duben-lighthouse) from npm if missing.
#
#   bash bench/lighthouse.sh [RUNS]
set -euo pipefail
cd "$(dirname "$0")/.."
runs="${1:-3}"
home="${LIGHTHOUSE_HOME:-/tmp/duben-lighthouse}"
if [ ! -x "$home/node_modules/.bin/lighthouse" ]; then
  mkdir -p "$home"
  npm install --prefix "$home" --no-audit --no-fund lighthouse@12 >/dev/null
fi
site="$(mktemp -d)"
trap 'kill "${server:-0}" 2>/dev/null || true; rm -rf "$site"' EXIT
cargo run --release --quiet -- build --output "$site/out" >/dev/null
port=8767
python3 bench/gzip_server.py "$site/out" "$port" &
server=$!
sleep 1
for run in $(seq "$runs"); do
  CHROME_PATH="${CHROME_PATH:-$(command -v chromium || command -v chromium-browser)}" \
    "$home/node_modules/.bin/lighthouse" "http://127.0.0.1:$port/yao-2019/index.html" \
    --only-categories=performance,accessibility,best-practices,seo \
    --chrome-flags="--headless=new --no-sandbox" --output=json --output-path="$site/report.json" --quiet
  python3 - "$site/report.json" "$run" <<'PY'
import json, sys
report = json.load(open(sys.argv[1]))
scores = " ".join(f"{k} {round(v['score'] * 100)}" for k, v in report["categories"].items())
audits = report["audits"]
metrics = " ".join(
    f"{name} {audits[key]['displayValue']}"
    for name, key in [("FCP", "first-contentful-paint"), ("LCP", "largest-contentful-paint"),
                      ("TBT", "total-blocking-time"), ("CLS", "cumulative-layout-shift")]
)
print(f"run {sys.argv[2]}: {scores} | {metrics}")
PY
done
