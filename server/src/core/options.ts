/**
 * The one zod schema of user options, shared by the language server (VS Code settings) and the CLI. Written
 * with `zod/mini` (same schemas and messages, ~15 KB instead of zod's full ~450 KB API): it is validated on
 * every CLI start, and loading full zod took about as long as starting node itself.
 */
import * as z from 'zod/mini';
import en from 'zod/v4/locales/en.cjs';
import { HORIZON_RELEASE_NAMES } from './knowledge/horizon-releases';

// zod/mini ships no messages by default; the English ones (`invalid option: expected one of …`) are the CLI's.
z.config(en());

const VERSION_RE = /^\d+\.\d+$/;
/** Any case, written as character classes so the same pattern serves package.json (no regex flags there). */
const anyCase = (name: string): string =>
  [...name].map((c) => `[${c.toLowerCase()}${c.toUpperCase()}]`).join('');
/** `2024.1`, `23.4.0` or a release name (`zed`, `Antelope`); the pattern package.json's setting must equal. */
export const HORIZON_RELEASE_PATTERN = `^(\\d{4}\\.[12]|\\d+\\.\\d+\\.\\d+|${HORIZON_RELEASE_NAMES.map(anyCase).join('|')})?$`;
const RELEASE_RE = new RegExp(HORIZON_RELEASE_PATTERN);
const CODE_RE = /^DSL\d{0,3}$/;

export const SEVERITY_OVERRIDE = z.enum(['error', 'warning', 'information', 'hint', 'off']);

/**
 * User options. Keys match `contributes.configuration` in package.json under the `djangoSessionLint.` prefix
 * (a test checks that they agree).
 */
export const OptionsSchema = z.object({
  /** Severity profile: production, development, or auto (development when DEBUG is statically True). */
  profile: z._default(z.enum(['production', 'development', 'auto']), 'auto'),
  /** Target Django version `X.Y`; empty = infer from the workspace, else from the Horizon release. */
  djangoVersion: z._default(
    z
      .string()
      .check(
        z.refine((s) => s === '' || VERSION_RE.test(s), { message: 'expected a Django version like "4.2"' }),
      ),
    '',
  ),
  /** Horizon release (`2024.1`, `23.4.0` or a name such as `zed`); empty = infer, else the newest known release. */
  horizonRelease: z._default(
    z.string().check(
      z.refine((s) => s === '' || RELEASE_RE.test(s), {
        message: 'expected a Horizon release like "2024.1", "23.4.0" or "zed"',
      }),
    ),
    '',
  ),
  /** Codes or prefixes to enable (empty = all). */
  select: z._default(
    z.array(z.string().check(z.regex(CODE_RE, 'expected a code like DSL104 or a prefix like DSL1'))),
    [],
  ),
  /** Codes or prefixes to disable. */
  ignore: z._default(
    z.array(z.string().check(z.regex(CODE_RE, 'expected a code like DSL104 or a prefix like DSL1'))),
    [],
  ),
  /** Per-code severity overrides, e.g. `{ "DSL113": "off", "DSL104": "error" }`. */
  severity: z._default(
    z.record(z.string().check(z.regex(/^DSL\d{3}$/, 'expected a code like DSL104')), SEVERITY_OVERRIDE),
    {},
  ),
  /** Apply unsafe fixes in fix-all (they change where data lives or which package is needed). */
  unsafeFixes: z._default(z.boolean(), false),
  /**
   * Editor only: how overrides by later layers and values from defaults are shown where you type — above the
   * assignment (`codeLens`), at the end of its line (`inlayHint`), or not at all (`off`).
   */
  inlineValues: z._default(z.enum(['codeLens', 'inlayHint', 'off']), 'codeLens'),
  /**
   * Editor only: on the first line of a settings file, the session settings it does not set with their
   * effective value and where it comes from (a default or another layer), shown as `inlineValues` says.
   */
  inlineDefaults: z._default(z.boolean(), true),
});

export type Options = z.infer<typeof OptionsSchema>;
export type OptionsInput = z.input<typeof OptionsSchema>;

export const DEFAULT_OPTIONS: Options = OptionsSchema.parse({});

/** Validates raw options; returns the parsed options and readable problems for what was dropped. */
export function parseOptions(raw: unknown): { options: Options; problems: string[] } {
  const result = OptionsSchema.safeParse(raw ?? {});
  if (result.success) return { options: result.data, problems: [] };
  // Keep every valid key; fall back to the default for each invalid one, and say why.
  const problems: string[] = [];
  const cleaned: Record<string, unknown> = { ...(typeof raw === 'object' && raw !== null ? raw : {}) };
  for (const issue of result.error.issues) {
    const key = issue.path[0];
    if (typeof key === 'string') {
      problems.push(`${key}: ${issue.message}`);
      delete cleaned[key];
    }
  }
  const retry = OptionsSchema.safeParse(cleaned);
  return { options: retry.success ? retry.data : DEFAULT_OPTIONS, problems };
}
