/** "Choose session storage…": a QuickPick that explains each option's tradeoffs; the server writes the configuration. */
import * as vscode from 'vscode';
import { ExecuteCommandRequest } from 'vscode-languageclient/node';
import {
  SERVER_COMMAND_APPLY_SESSION_STORAGE,
  SESSION_STORAGE_TARGETS,
  type SessionStorageTarget,
} from '../../common/protocol';
import type { ServerConnection } from './server-connection';

interface StorageOption {
  readonly label: string;
  readonly description: string;
  /** Tradeoffs in one line (shown under the label). */
  readonly detail: string;
}

/** One entry per server target; a `Record` so a new target cannot be forgotten here. */
export const STORAGE_OPTIONS: Readonly<Record<SessionStorageTarget, StorageOption>> = {
  memcached: {
    label: '$(server) Memcached',
    description: "cache engine · PyMemcacheCache · Horizon's default",
    detail:
      'Fast, shared by every process and host listed; not persistent: a restart or eviction logs users out. Needs memcached + pymemcache (Django ≥ 3.2).',
  },
  redis: {
    label: '$(server) Redis (Django built-in RedisCache)',
    description: 'cache engine · Django ≥ 4.0',
    detail:
      'Shared across processes and hosts, replicas possible; persistent only if Redis is configured to persist. Needs redis-py; no extra Django package.',
  },
  'django-redis': {
    label: '$(server) Redis (django-redis)',
    description: 'cache engine · django_redis.cache.RedisCache',
    detail:
      'Like the built-in Redis cache plus Sentinel, compression and IGNORE_EXCEPTIONS; needs the django-redis package (6.x: Django ≥ 4.2).',
  },
  mysql: {
    label: '$(database) Database: MySQL / MariaDB',
    description: 'db engine',
    detail:
      'Persistent and shared through the database; every authenticated Horizon request writes a row. Needs mysqlclient, migrate and a clearsessions cron job.',
  },
  postgresql: {
    label: '$(database) Database: PostgreSQL',
    description: 'db engine',
    detail:
      'Persistent and shared through the database; every authenticated Horizon request writes a row. Needs psycopg, migrate and a clearsessions cron job.',
  },
  cached_db: {
    label: '$(layers) Cached database',
    description: 'cached_db engine · memcached in front of the database',
    detail:
      'Reads from the cache, writes through to the database: survives cache restarts. Needs a shared cache (not LocMemCache) and a database with migrate.',
  },
  signed_cookies: {
    label: '$(key) Signed cookies',
    description: 'no server storage · development only for Horizon',
    detail:
      'Nothing to run, but readable by the browser, limited to ~4 KB (too small for many Keystone tokens), not revoked at logout; all hosts need the same SECRET_KEY.',
  },
  file: {
    label: '$(file) Files',
    description: 'file engine · SESSION_FILE_PATH',
    detail:
      'Persistent on one host only (each web server has its own directory); the directory must exist and be writable; needs a clearsessions cron job.',
  },
};

export interface ApplyStorageResult {
  readonly applied: boolean;
  readonly message?: string;
}

/** Asks the server to rewrite the project's session configuration for `target` (it sends workspace/applyEdit). */
export async function applySessionStorage(
  server: ServerConnection,
  uri: vscode.Uri,
  target: SessionStorageTarget,
): Promise<ApplyStorageResult> {
  const client = server.running ?? (await server.start());
  if (!client) return { applied: false, message: 'The language server is not running.' };
  const result = await client.sendRequest(ExecuteCommandRequest.type, {
    command: SERVER_COMMAND_APPLY_SESSION_STORAGE,
    arguments: [{ uri: client.code2ProtocolConverter.asUri(uri), target }],
  });
  const r = (result ?? {}) as Partial<ApplyStorageResult>;
  return { applied: r.applied === true, ...(typeof r.message === 'string' ? { message: r.message } : {}) };
}

/** Shows the QuickPick; resolves with the chosen target, or undefined when dismissed. */
export async function pickSessionStorage(current?: string): Promise<SessionStorageTarget | undefined> {
  type Item = vscode.QuickPickItem & { target: SessionStorageTarget };
  const items: Item[] = SESSION_STORAGE_TARGETS.map((target) => ({ target, ...STORAGE_OPTIONS[target] }));
  const picked = await vscode.window.showQuickPick(items, {
    title: 'Choose session storage',
    placeHolder: current
      ? `Sessions are now stored in: ${current}. Pick where they should be stored.`
      : 'Pick where sessions should be stored',
    matchOnDescription: true,
    matchOnDetail: true,
  });
  return picked?.target;
}

export function isStorageTarget(value: unknown): value is SessionStorageTarget {
  return typeof value === 'string' && (SESSION_STORAGE_TARGETS as readonly string[]).includes(value);
}
