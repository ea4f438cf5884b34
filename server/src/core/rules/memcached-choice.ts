/**
 * Which memcached backend a fix writes so the fixed settings can load where they run: one the target Django
 * has (not deprecated there) and, when the installed modules are known (Debian's dist-packages next to
 * openstack_dashboard, a virtualenv), whose client library is installed — else the preferred one, naming the
 * package to install. Debian 12's Horizon ships python-memcached, whose MemcachedCache is deprecated on
 * Django 3.2 and gone in 4.1: the fix writes PyMemcacheCache and names python3-pymemcache.
 */
import {
  DEBIAN_CLIENT_PACKAGES,
  MEMCACHED_FIX_BACKENDS,
  cacheBackendAvailability,
  findCacheBackend,
  LOCAL_MEMCACHED_LOCATION,
} from '../knowledge';
import { PYMEMCACHE } from '../knowledge/names';
import type { RuleContext } from './framework';

export interface MemcachedChoice {
  readonly backend: string;
  /** OPTIONS written with it (Python source), if any: pymemcache's `ignore_exc` keeps sessions up when memcached is down. */
  readonly options: string | undefined;
  /** The same OPTIONS as data (for fixes that format a whole CACHES value). */
  readonly optionsData: Readonly<Record<string, boolean>> | undefined;
  /** " (python-memcached is installed)" when the choice was made from the installed modules. */
  readonly installedNote: string;
  /** The client library to install, when the installed modules are known and none of the candidates is there. */
  readonly missing: string | undefined;
}

/** The pip package and, when known, its Debian package: "pymemcache (Debian: python3-pymemcache)". */
function packageLabel(pythonPackage: string, module: string | undefined): string {
  const deb = module ? DEBIAN_CLIENT_PACKAGES[module] : undefined;
  return deb ? `${pythonPackage} (Debian: ${deb})` : pythonPackage;
}

export function memcachedChoice(ctx: RuleContext): MemcachedChoice | undefined {
  const target = ctx.django ?? ctx.djangoRange;
  // Deprecated backends (MemcachedCache on Django 3.2) would add DSL108: only when nothing current exists.
  const withStatus = (accept: (a: ReturnType<typeof cacheBackendAvailability>) => boolean) =>
    MEMCACHED_FIX_BACKENDS.flatMap((path) => {
      const b = findCacheBackend(path);
      return b && accept(cacheBackendAvailability(path, target)) ? [b] : [];
    });
  const current = withStatus((a) => a.status === 'available');
  const usable =
    current.length > 0
      ? current
      : withStatus((a) => a.status === 'deprecated' && a.versionKnown && !a.unverified);
  const preferred = usable[0];
  if (!preferred) return undefined;
  const options = (path: string): string | undefined =>
    path === PYMEMCACHE ? "{'ignore_exc': True}" : undefined;
  const optionsData = (path: string): Readonly<Record<string, boolean>> | undefined =>
    path === PYMEMCACHE ? { ignore_exc: true } : undefined;
  const installed = ctx.installed;
  if (!installed) {
    return {
      backend: preferred.path,
      options: options(preferred.path),
      optionsData: optionsData(preferred.path),
      installedNote: '',
      missing: undefined,
    };
  }
  const present = usable.find((b) => b.module !== undefined && installed.modules.includes(b.module));
  if (present) {
    return {
      backend: present.path,
      options: options(present.path),
      optionsData: optionsData(present.path),
      installedNote: ` (${present.pythonPackage ?? present.module ?? 'its client'} is installed)`,
      missing: undefined,
    };
  }
  return {
    backend: preferred.path,
    options: options(preferred.path),
    optionsData: optionsData(preferred.path),
    installedNote: '',
    missing: `${packageLabel(preferred.pythonPackage ?? preferred.module ?? 'the client library', preferred.module)} is not installed in ${installed.source}`,
  };
}

/** A CACHES entry literal for one local memcached server, indented for a line that starts with `indent`. */
export function memcachedEntryText(choice: MemcachedChoice, indent: string): string {
  const i = indent + '    ';
  const lines = [`${i}'BACKEND': '${choice.backend}',`, `${i}'LOCATION': '${LOCAL_MEMCACHED_LOCATION}',`];
  if (choice.options) lines.push(`${i}'OPTIONS': ${choice.options},`);
  return `{\n${lines.join('\n')}\n${indent}}`;
}

/** A whole CACHES literal with one 'default' entry (the layout MEMCACHED_CACHES_TEXT has). */
export function memcachedCachesText(choice: MemcachedChoice): string {
  return `{\n    'default': ${memcachedEntryText(choice, '    ')},\n}`;
}

/**
 * The client library a fix's backend needs when the installed modules are known and it is not among them
 * ("pymemcache (Debian: python3-pymemcache)"), for the fix title; undefined when installed or unknown.
 */
export function missingClient(ctx: RuleContext, backendPath: string): string | undefined {
  const installed = ctx.installed;
  const b = findCacheBackend(backendPath.trim());
  if (!installed || !b?.module || installed.modules.includes(b.module)) return undefined;
  return packageLabel(b.pythonPackage ?? b.module, b.module);
}

/** `title` with "(needs <package>)" appended when the backend's client library is known to be missing. */
export function titleNaming(ctx: RuleContext, title: string, backendPath: string): string {
  const missing = missingClient(ctx, backendPath);
  return missing ? `${title} (needs ${missing})` : title;
}

/** A fix title's part for a memcached choice: "PyMemcacheCache; needs pymemcache (…)" or "PyLibMCCache". */
export function choiceLabel(choice: MemcachedChoice): string {
  const short = choice.backend.slice(choice.backend.lastIndexOf('.') + 1);
  return `${short}${choice.missing ? `; needs ${choice.missing.replace(/ is not installed in .*$/, '')}` : ''}`;
}
