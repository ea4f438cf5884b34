/** Shared zod pieces of the knowledge tables (version strings, hover cards, key docs) and the load-time validator; holds no data. */
import { z } from 'zod';

import { parseVersion } from './versions';

/** A Django minor such as `'4.1'` (what release notes key features on). */
export const MinorVersionSchema = z.string().regex(/^\d+\.\d+$/, 'expected a minor version like "4.1"');

/** A full version such as `'23.4.0'` (Horizon tags). */
export const FullVersionSchema = z
  .string()
  .refine((s) => /^\d+\.\d+\.\d+$/.test(s) && parseVersion(s) !== undefined, {
    message: 'expected a version like "23.4.0"',
  });

/** A short sentence for a hover: starts upper-case or with a code/identifier, ends with a period. */
const SentenceSchema = z
  .string()
  .min(3)
  .max(400)
  .regex(/[.!?)]$/, 'a note must be a sentence ending with a period');

/**
 * The hover "tradeoff card" shared by session engines, cache backends and database engines.
 * Every field is display text: rules read the typed fields of the records, never these strings.
 */
export const TradeoffCardSchema = z.strictObject({
  /** One-line headline, e.g. "Per-process in-memory cache". */
  summary: z.string().min(3).max(200),
  persistence: z.string().min(2),
  sharedAcrossProcesses: z.string().min(2),
  sharedAcrossHosts: z.string().min(2),
  speed: z.string().min(2),
  dependencies: z.string().min(2),
  security: z.string().min(2),
  djangoVersions: z.string().min(2),
  notes: z.array(SentenceSchema).min(1),
  docsUrl: z.url(),
});
export type TradeoffCard = z.infer<typeof TradeoffCardSchema>;

/** Documentation of one dictionary key (CACHES/DATABASES entry keys, OPTIONS keys). */
export const KeyDocSchema = z.strictObject({
  name: z.string().min(1),
  description: z.string().min(3),
  /** Python type the value should have, as shown in hovers/completions. */
  type: z
    .enum(['str', 'int', 'float', 'number', 'bool', 'dict', 'list', 'str or list', 'class path', 'any'])
    .optional(),
  /** The default as Python source text (e.g. `300`, `None`, `'read committed'`), display only. */
  default: z.string().optional(),
  /** First Django minor that reads the key, when newer than 3.2. */
  djangoAdded: MinorVersionSchema.optional(),
});
export type KeyDoc = z.infer<typeof KeyDocSchema>;

/**
 * True in the esbuild bundles (esbuild.mjs `define`): there the tables were validated when the tests ran
 * (test/unit/knowledge-bundle.test.ts checks that validation changes nothing, so skipping it is lossless) and
 * zod is not loaded at start. Undefined under tsc and in the tests, where every table is validated at load.
 */
declare const KNOWLEDGE_PREVALIDATED: boolean | undefined;

/**
 * Parses `data` with `schema` and throws a readable error naming the table: the knowledge tables are code,
 * so a mistake in them must stop the server (and fail the tests) at load time rather than produce odd findings.
 */
export function validateData<S extends z.ZodType>(schema: S, data: unknown, table: string): z.output<S> {
  if (typeof KNOWLEDGE_PREVALIDATED !== 'undefined' && KNOWLEDGE_PREVALIDATED) return data as z.output<S>;
  const result = schema.safeParse(data);
  if (!result.success) {
    throw new Error(`knowledge table "${table}" is invalid:\n${z.prettifyError(result.error)}`);
  }
  return result.data;
}

/** Throws when `names` has a duplicate (tables are looked up by these keys). */
export function assertUnique(names: readonly string[], table: string): void {
  const seen = new Set<string>();
  for (const n of names) {
    if (seen.has(n)) throw new Error(`knowledge table "${table}" has a duplicate entry ${JSON.stringify(n)}`);
    seen.add(n);
  }
}
