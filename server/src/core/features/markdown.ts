/** Markdown building blocks for hovers and completion docs; user values are escaped, never trusted. */
import type { TradeoffCard } from '../knowledge';

/** Inline code for an arbitrary value (backticks in the value cannot break out). */
export function code(value: string): string {
  const longest = Math.max(0, ...[...value.matchAll(/`+/g)].map((m) => m[0].length));
  const fence = '`'.repeat(longest + 1);
  const pad = value.startsWith('`') || value.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${value}${pad}${fence}`;
}

/** Escapes Markdown syntax in plain text (also neutralises link and HTML syntax). */
export function escapeText(text: string): string {
  return text.replace(/[\\`*_{}[\]()#+\-!|<>~]/g, (c) => '\\' + c);
}

function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

/** The tradeoff card as a compact table plus notes and a docs link. */
export function cardMarkdown(card: TradeoffCard): string {
  const rows: [string, string][] = [
    ['Persistence', card.persistence],
    ['Shared across processes', card.sharedAcrossProcesses],
    ['Shared across hosts', card.sharedAcrossHosts],
    ['Speed', card.speed],
    ['Dependencies', card.dependencies],
    ['Security', card.security],
    ['Django versions', card.djangoVersions],
  ];
  return [
    `**${cell(card.summary)}**`,
    '',
    '| | |',
    '|---|---|',
    ...rows.map(([k, v]) => `| ${k} | ${cell(v)} |`),
    '',
    ...card.notes.map((n) => `- ${n}`),
    '',
    `[Django documentation](${card.docsUrl})`,
  ].join('\n');
}
