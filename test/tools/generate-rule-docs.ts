/** Writes docs/rules.md from the rule metadata: `node out/test/tools/generate-rule-docs.js` (what `npm run docs` should run). */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { RULES } from '../../server/src/core/rules';
import { renderRulesMarkdown, updateReadmeRulesTable } from '../../server/src/core/rules/docs';

/** Compiled to out/test/tools/, three levels below the repository root. */
export const REPO_ROOT = path.resolve(__dirname, '..', '..', '..');
export const RULES_DOC = path.join(REPO_ROOT, 'docs', 'rules.md');
export const README = path.join(REPO_ROOT, 'README.md');

/** Updates the rules table in README.md; returns whether it changed. */
export function writeReadmeTable(): boolean {
  const current = fs.readFileSync(README, 'utf8');
  const next = updateReadmeRulesTable(current, RULES);
  if (next === current) return false;
  fs.writeFileSync(README, next);
  return true;
}

/** Writes the file when its text differs; returns whether it changed. */
export function writeRulesDoc(): boolean {
  const text = renderRulesMarkdown(RULES);
  const current = fs.existsSync(RULES_DOC) ? fs.readFileSync(RULES_DOC, 'utf8') : undefined;
  if (current === text) return false;
  fs.mkdirSync(path.dirname(RULES_DOC), { recursive: true });
  fs.writeFileSync(RULES_DOC, text);
  return true;
}

if (require.main === module) {
  const changed = writeRulesDoc();
  const readmeChanged = writeReadmeTable();
  process.stdout.write(`README.md rules table ${readmeChanged ? 'updated' : 'already up to date'}\n`);
  process.stdout.write(
    `${path.relative(process.cwd(), RULES_DOC)} ${changed ? 'written' : 'already up to date'} (${RULES.length} rules)\n`,
  );
}
