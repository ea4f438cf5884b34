#!/usr/bin/env bash
# The steps of the composite action (action.yml), run from the action's own checkout:
#   build  installs and builds the CLI there unless dist/cli.js exists
#   sarif  writes the SARIF log to $INPUT_SARIF_FILE (never fails on findings: the upload comes next)
#   lint   prints GitHub annotations and exits 1 on findings at or above --fail-on (default: error)
# $INPUT_PATHS and $INPUT_ARGS are split on white space (no glob expansion); our --format comes last, so it wins.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cli="$here/dist/cli.js"
set -f
# shellcheck disable=SC2206 # word splitting is the point
args=(${INPUT_ARGS:-})
# shellcheck disable=SC2206
paths=(${INPUT_PATHS:-.})
case "${1:-}" in
  build)
    if [ ! -f "$cli" ]; then
      (cd "$here" && npm ci --no-audit --no-fund && npm run build)
    fi
    ;;
  sarif)
    out="${INPUT_SARIF_FILE:-django-session-lint.sarif}"
    node "$cli" "${args[@]}" --format sarif --fail-on never -- "${paths[@]}" >"$out"
    if [ -n "${GITHUB_OUTPUT:-}" ]; then echo "sarif-file=$out" >>"$GITHUB_OUTPUT"; fi
    ;;
  lint)
    exec node "$cli" "${args[@]}" --format github -- "${paths[@]}"
    ;;
  *)
    echo "usage: $0 build|sarif|lint" >&2
    exit 2
    ;;
esac
