/** The environment for an npm the tests start: without the npm_config_* etc. of the npm that runs the tests (scripts/clean-npm-env.mjs). */
const KEEP_CONFIG =
  /^npm_config_(registry|.*:registry|\/\/.*|proxy|https?_proxy|no_?proxy|cafile|ca|cert|key|strict_ssl|cache|userconfig|globalconfig|fetch_.*|offline|prefer_offline|prefer_online)$/i;
const DROP = /^(npm_.*|INIT_CWD|NODE|COLOR)$/i;

export function cleanNpmEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const out: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env))
    if (v !== undefined && (!DROP.test(k) || KEEP_CONFIG.test(k))) out[k] = v;
  return { ...out, ...extra };
}
