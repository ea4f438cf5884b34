/** Loads smol-toml for the version parsers and turns its errors into `undefined`; must not parse anything but TOML text handed in. */
import type { parse as Parse } from 'smol-toml' with { 'resolution-mode': 'import' };

// smol-toml is an ES module ("type": "module") that also ships a CommonJS build. A static import
// would compile to require() of an ESM type declaration, which `module: node16` rejects (TS1479);
// require() picks the package's "require" export at run time and in the esbuild bundle alike.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const smolToml = require('smol-toml') as { readonly parse: typeof Parse };

/** A TOML table as plain data (smol-toml builds null-prototype objects, so keys like `__proto__` stay data). */
export type TomlTable = Readonly<Record<string, unknown>>;

// Deeper inline nesting than this is not a project manifest; it also bounds the parser's recursion.
const MAX_DEPTH = 64;

/** The document's top-level table, or undefined when the text is not valid TOML. */
export function parseToml(text: string): TomlTable | undefined {
  try {
    return smolToml.parse(text, { maxDepth: MAX_DEPTH }) as TomlTable;
  } catch {
    return undefined;
  }
}

/** `table[key]` as a table, when it is one. */
export function tableAt(table: TomlTable | undefined, key: string): TomlTable | undefined {
  const value = table === undefined ? undefined : ownValue(table, key);
  return isTable(value) ? value : undefined;
}

/** `table[key]` as an array, when it is one. */
export function arrayAt(table: TomlTable | undefined, key: string): readonly unknown[] | undefined {
  const value = table === undefined ? undefined : ownValue(table, key);
  return Array.isArray(value) ? value : undefined;
}

/** An own property only: inherited members (`constructor`, `toString`) are never configuration. */
export function ownValue(table: TomlTable, key: string): unknown {
  return Object.prototype.hasOwnProperty.call(table, key) ? table[key] : undefined;
}

export function isTable(value: unknown): value is TomlTable {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Date);
}
