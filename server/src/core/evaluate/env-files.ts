/**
 * Environment files the settings load themselves, read statically: django-environ's `Env.read_env()` (a
 * `.env` loaded into os.environ with setdefault, so the real environment still wins) and python-decouple's
 * AutoConfig (`settings.ini` `[settings]` or `.env`, searched from the settings file's directory upwards;
 * decouple reads os.environ first). A value found there becomes the visible default of the lookups that
 * follow — what the setting is "if X is unset" in the real environment. The text is read through the
 * injected reader (`readSibling`); nothing here touches the file system.
 */
import type { Span, Value } from '../types';

/** `KEY=VALUE` lines (optional `export `), `#` comments, matching outer quotes stripped (django-environ, decouple). */
export function parseDotenv(text: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const raw of text.split(/\r?\n/).slice(0, 10_000)) {
    const m = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_.]*)\s*=\s*(.*?)\s*$/.exec(raw);
    if (!m || raw.trimStart().startsWith('#')) continue;
    let value = m[2] ?? '';
    const q = /^(['"])(.*)\1$/.exec(value);
    if (q) value = q[1] === '"' ? (q[2] ?? '').replace(/\\n/g, '\n').replace(/\\"/g, '"') : (q[2] ?? '');
    else value = value.replace(/\s+#.*$/, '');
    out.set(m[1] as string, value);
  }
  return out;
}

/** The `[settings]` section of decouple's settings.ini (ConfigParser: `key = value` / `key: value`, keys case-insensitive). */
export function parseSettingsIni(text: string): Map<string, string> {
  const out = new Map<string, string>();
  let inSettings = false;
  for (const raw of text.split(/\r?\n/).slice(0, 10_000)) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#') || line.startsWith(';')) continue;
    const section = /^\[([^\]]*)\]$/.exec(line);
    if (section) {
      inSettings = section[1] === 'settings';
      continue;
    }
    if (!inSettings) continue;
    const m = /^([^=:\s][^=:]*?)\s*[=:]\s*(.*)$/.exec(line);
    if (m) out.set((m[1] as string).toLowerCase(), m[2] ?? '');
  }
  return out;
}

export type EnvCast = 'str' | 'bool' | 'int' | 'float' | 'list' | undefined;

/** django-environ's cast of a string read from the environment (`Env.parse_value`). */
export function environCast(cast: EnvCast, raw: string, span: Span | undefined): Value | undefined {
  switch (cast) {
    case undefined:
    case 'str':
      return { kind: 'str', value: raw, span };
    case 'bool': {
      const t = raw.trim().toLowerCase();
      if (/^-?\d+(\.\d+)?$/.test(t)) return { kind: 'bool', value: Number(t) !== 0, span };
      return { kind: 'bool', value: ['true', 'on', 'ok', 'y', 'yes', '1'].includes(t), span };
    }
    case 'int':
      return /^\s*[-+]?\d+\s*$/.test(raw) ? { kind: 'int', value: parseInt(raw, 10), span } : undefined;
    case 'float':
      return raw.trim() !== '' && Number.isFinite(Number(raw))
        ? { kind: 'float', value: Number(raw), span }
        : undefined;
    case 'list':
      return {
        kind: 'list',
        items: raw === '' ? [] : raw.split(',').map((s) => ({ kind: 'str', value: s, span }) as Value),
        span,
      };
  }
}

/** The environment files one analysis has seen (shared by the modules it evaluates, like os.environ). */
export class EnvFiles {
  /** Loaded into os.environ by `Env.read_env()`: seen by every lookup that follows. */
  readonly osEnviron = new Map<string, string>();
  /** decouple's repository (settings.ini or .env), once its first `config()` looked for it; null: none found. */
  decouple: Map<string, string> | null | undefined;
  /** Files read (dependencies of the analysis). */
  readonly files = new Set<string>();

  /** The value a file gives `name` for a reader of os.environ (`decouple` also reads its repository). */
  value(name: string, decouple = false): string | undefined {
    const os = this.osEnviron.get(name);
    if (os !== undefined || !decouple) return os;
    return this.decouple?.get(name) ?? this.decouple?.get(name.toLowerCase());
  }

  /** `read_env()`: setdefault semantics, the first file to set a name wins (overwrite=True is not followed). */
  load(values: ReadonlyMap<string, string>): void {
    for (const [k, v] of values) if (!this.osEnviron.has(k)) this.osEnviron.set(k, v);
  }
}
