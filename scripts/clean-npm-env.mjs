/**
 * The environment for an npm started from inside another npm's script (`npm test` → pretest → an install).
 * The outer npm exports its whole configuration as npm_config_* (its user agent with ITS node version, its
 * prefix, node-gyp and nodedir, …) plus npm_package_* / npm_lifecycle_*; an inner npm reads those as its own
 * settings, so code-server's install saw "node/v20" in the user agent whatever node ran it. Drop them, but
 * keep how the user reaches the registry (registry, auth, proxy, TLS, cache), which may be set only there.
 * tools/install-vscode-server.sh does the same in bash (keep the two lists equal).
 */
const KEEP_CONFIG =
  /^npm_config_(registry|.*:registry|\/\/.*|proxy|https?_proxy|no_?proxy|cafile|ca|cert|key|strict_ssl|cache|userconfig|globalconfig|fetch_.*|offline|prefer_offline|prefer_online)$/i;
const DROP = /^(npm_.*|INIT_CWD|NODE|COLOR)$/i;

export function cleanNpmEnv(env = process.env, extra = {}) {
  const out = {};
  for (const [k, v] of Object.entries(env))
    if (v !== undefined && (!DROP.test(k) || KEEP_CONFIG.test(k))) out[k] = v;
  return { ...out, ...extra };
}
