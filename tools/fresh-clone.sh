#!/usr/bin/env bash
# The README's Quick start on a fresh clone with empty caches, as a new user runs it:
#   tools/fresh-clone.sh [REV]      (default: HEAD; only committed work is cloned)
# Clones REV into a temporary directory, points XDG_CACHE_HOME at an empty temporary directory (no VS Code
# server, no compile cache to reuse), drops the calling npm's npm_config_* etc. from the environment (as if typed
# in a new shell), and runs the two commands of the clone's README "Quick start" block verbatim, in order.
# Exits with the first failing command's status; prints where the clone is when one fails (KEEP=1 keeps it
# after success too). Debian packages already on the machine stay installed: that part is not re-proved.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
REV=${1:-HEAD}
WORK=$(mktemp -d "${TMPDIR:-/tmp}/dsl-fresh-clone.XXXXXX")
status=1
cleanup() {
  if [ "$status" -eq 0 ] && [ -z "${KEEP:-}" ]; then
    rm -rf "$WORK"
  else
    echo "fresh-clone: kept $WORK" >&2
  fi
}
trap cleanup EXIT

git clone --quiet --no-hardlinks "$ROOT" "$WORK/repo"
git -C "$WORK/repo" checkout --quiet --detach "$REV"
mkdir "$WORK/cache"
echo "fresh-clone: $(git -C "$WORK/repo" log -1 --format='%h %s' | cut -c1-100)" >&2

# The commands: the lines of the first ```sh block under "## Quick start", without their trailing comments.
mapfile -t COMMANDS < <(
  awk '/^## Quick start/ { q = 1; next } q && /^```sh/ { b = 1; next } b && /^```/ { exit } b { print }' \
    "$WORK/repo/README.md" | sed -E 's/[[:space:]]+#.*$//' | sed -E '/^[[:space:]]*$/d'
)
if [ "${#COMMANDS[@]}" -ne 2 ]; then
  echo "fresh-clone: expected the two Quick start commands in README.md, found ${#COMMANDS[@]}" >&2
  exit 1
fi

# A new shell's environment: nothing from an npm that may be running this script (same list as
# scripts/clean-npm-env.mjs), caches empty.
for name in $(compgen -e); do
  lower=${name,,}
  if [[ $lower =~ ^(npm_.*|init_cwd|node|color)$ ]] &&
    ! [[ $lower =~ ^npm_config_(registry|proxy|https?_proxy|no_?proxy|cafile|ca|cert|key|strict_ssl|cache|userconfig|globalconfig|fetch_.*|offline|prefer_offline|prefer_online)$ ]]; then
    unset "$name"
  fi
done
unset VSCODE_SERVER_HOME DSL_TEST_RESULTS_DIR DSL_TEST_RESULTS
export XDG_CACHE_HOME="$WORK/cache"

cd "$WORK/repo"
for cmd in "${COMMANDS[@]}"; do
  echo "fresh-clone: \$ $cmd" >&2
  start=$SECONDS
  rc=0
  bash -c "$cmd" || rc=$?
  if [ "$rc" -ne 0 ]; then
    echo "fresh-clone: FAILED after $((SECONDS - start)) s: $cmd" >&2
    status=$rc
    exit "$rc"
  fi
  echo "fresh-clone: ok after $((SECONDS - start)) s: $cmd" >&2
done
status=0
echo "fresh-clone: both Quick start commands passed on a fresh clone of $REV with empty caches" >&2
