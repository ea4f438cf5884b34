/** docs/rules.md and the rule registry are generated and up to date; every rule's metadata is complete; every rule file is registered and has a rule-level test. */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ruleUrl } from '../../server/src/core/analyze';
import { RULES } from '../../server/src/core/rules';
import {
  README_TABLE_START,
  renderRulesMarkdown,
  ruleAnchor,
  updateReadmeRulesTable,
} from '../../server/src/core/rules/docs';
import type { Rule } from '../../server/src/core/rules/framework';
import { README, REPO_ROOT, RULES_DOC } from '../tools/generate-rule-docs';

/** The rule files of server/src/core/rules/ (`dsl104-locmem-session-cache.ts` → DSL104, locmem-session-cache), in code order. */
function ruleFiles(): { file: string; code: string; name: string }[] {
  return fs
    .readdirSync(path.join(REPO_ROOT, 'server', 'src', 'core', 'rules'))
    .flatMap((file) => {
      const m = /^dsl(\d{3})-([a-z0-9-]+)\.ts$/.exec(file);
      return m?.[1] && m[2] ? [{ file, code: `DSL${m[1]}`, name: m[2] }] : [];
    })
    .sort((a, b) => (a.code < b.code ? -1 : 1));
}

const SEVERITIES = ['error', 'warning', 'information', 'hint', 'off'];
const KEBAB = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;

/** GitHub's heading id: lower case, punctuation other than '-' and '_' dropped, spaces to '-'. */
function githubSlug(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .replace(/\s/g, '-');
}

function fake(code: string, name: string): Rule {
  return {
    code,
    name,
    title: 'A | title',
    severity: { production: 'warning', development: 'off' },
    versionDependent: false,
    horizonOnly: true,
    fix: 'none',
    docs: {
      what: 'w',
      why: 'y',
      example: "X = '```'",
      useInstead: 'X = 1',
      fixSafety: 'f',
      djangoCheck: 'c',
    },
    check: () => undefined,
  };
}

describe('rule docs (docs/rules.md)', () => {
  it('is up to date with the rule metadata', () => {
    const expected = renderRulesMarkdown(RULES);
    const actual = fs.existsSync(RULES_DOC) ? fs.readFileSync(RULES_DOC, 'utf8') : '<missing>';
    assert.ok(
      actual === expected,
      'docs/rules.md is stale: run `npm run docs` (npx tsc -b test && node out/test/tools/generate-rule-docs.js) and commit the result',
    );
  });

  it("has a section per rule whose heading id is the fragment of the rule's documentation URL", () => {
    const md = renderRulesMarkdown(RULES);
    const headings = md
      .split('\n')
      .filter((l) => l.startsWith('## '))
      .map((l) => githubSlug(l.slice(3)));
    for (const rule of RULES) {
      const fragment = ruleUrl(rule.code).split('#')[1];
      assert.equal(ruleAnchor(rule.code), fragment);
      assert.ok(headings.includes(fragment ?? ''), `no heading with id #${fragment ?? ''}`);
      assert.ok(md.includes(`](#${fragment ?? ''})`), `the summary table does not link #${fragment ?? ''}`);
    }
  });

  it('renders deterministically, in code order, escaping table cells and code fences', () => {
    const md = renderRulesMarkdown([fake('DSL902', 'b-rule'), fake('DSL901', 'a-rule')]);
    assert.equal(md, renderRulesMarkdown([fake('DSL901', 'a-rule'), fake('DSL902', 'b-rule')]));
    assert.ok(md.indexOf('## DSL901') < md.indexOf('## DSL902'));
    assert.match(
      md,
      /\| \[DSL901\]\(#dsl901\) \| `a-rule` \| A \\\| title \(Horizon\) \| warning \| – \| none \|/,
    );
    assert.match(md, /````python\nX = '```'\n````/);
    assert.match(md, /\| Django's own check \| c \|/);
    assert.ok(md.endsWith('\n') && !md.endsWith('\n\n'));
  });
});

describe('rule metadata', () => {
  it('has unique DSLnnn codes and unique kebab-case names', () => {
    const codes = RULES.map((r) => r.code);
    const names = RULES.map((r) => r.name);
    assert.deepEqual(
      codes.filter((c, i) => codes.indexOf(c) !== i),
      [],
      'duplicate codes',
    );
    assert.deepEqual(
      names.filter((n, i) => names.indexOf(n) !== i),
      [],
      'duplicate names',
    );
    for (const r of RULES) {
      assert.match(r.code, /^DSL\d{3}$/, `bad code ${r.code}`);
      assert.match(r.name, KEBAB, `${r.code}: name '${r.name}' is not kebab-case`);
    }
  });

  it('has a title, complete docs, valid severities and fix safety for every rule', () => {
    for (const r of RULES) {
      assert.ok(r.title.trim().length > 0, `${r.code}: empty title`);
      for (const field of ['what', 'why', 'example', 'useInstead', 'fixSafety'] as const) {
        assert.ok(r.docs[field].trim().length > 0, `${r.code}: empty docs.${field}`);
      }
      if (r.docs.djangoCheck !== undefined)
        assert.ok(r.docs.djangoCheck.trim().length > 0, `${r.code}: empty docs.djangoCheck`);
      assert.ok(SEVERITIES.includes(r.severity.production), `${r.code}: bad production severity`);
      assert.ok(SEVERITIES.includes(r.severity.development), `${r.code}: bad development severity`);
      assert.ok(
        r.severity.production !== 'off' || r.severity.development !== 'off',
        `${r.code}: off in every profile`,
      );
      assert.ok(['safe', 'unsafe', 'none'].includes(r.fix), `${r.code}: bad fix safety`);
    }
  });

  it('registers every rule file, under the code and name its file name gives, in code order', () => {
    const files = ruleFiles();
    assert.deepEqual(
      RULES.map((r) => r.code),
      files.map((f) => f.code),
      'RULES and the dsl<NNN>-<name>.ts files disagree: run `npm run docs`',
    );
    assert.deepEqual(
      RULES.map((r) => `${r.code} ${r.name}`),
      files.map((f) => `${f.code} ${f.name}`),
      'a rule file is named after its rule: dsl<NNN>-<rule name>.ts',
    );
    assert.ok(RULES.length >= 48, `only ${RULES.length} rules registered`);
  });

  it('gives every rule a rule-level test: test/unit/rules/<rule file>.test.ts or .py fixtures in test/fixtures/rules/<code>/', () => {
    const unitTests = fs.readdirSync(path.join(REPO_ROOT, 'test', 'unit', 'rules'));
    const fixtureDir = path.join(REPO_ROOT, 'test', 'fixtures', 'rules');
    const fixtures = fs.existsSync(fixtureDir) ? fs.readdirSync(fixtureDir) : [];
    const untested = ruleFiles()
      .filter(
        (f) =>
          !unitTests.includes(f.file.replace(/\.ts$/, '.test.ts')) &&
          !(
            fixtures.includes(f.code.toLowerCase()) &&
            fs.readdirSync(path.join(fixtureDir, f.code.toLowerCase())).some((n) => n.endsWith('.py'))
          ),
      )
      .map((f) => f.code);
    assert.deepEqual(untested, [], 'rules without a rule-level test');
  });
});

describe('rule registry (server/src/core/rules/registry.ts)', () => {
  const script = path.join(REPO_ROOT, 'scripts', 'rule-registry.mjs');

  it('is generated from the rule files and up to date (run `npm run docs`)', () => {
    const r = spawnSync(process.execPath, [script, '--check'], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
  });

  it('lists exactly the dsl<NNN>-<name>.ts files of the folder, in code order', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dsl-rules-'));
    try {
      for (const f of [
        'dsl902-b-rule.ts',
        'dsl901-a-rule.ts',
        'framework.ts',
        'dsl9-short.ts',
        'dsl903-x.test.ts',
      ])
        fs.writeFileSync(path.join(dir, f), '');
      const r = spawnSync(process.execPath, [script, '--print', dir], { encoding: 'utf8' });
      assert.equal(r.status, 0, r.stderr);
      assert.match(
        r.stdout,
        /\nimport dsl901 from '\.\/dsl901-a-rule';\nimport dsl902 from '\.\/dsl902-b-rule';\n\n/,
      );
      assert.match(r.stdout, /export const RULES: readonly Rule\[\] = \[\n {2}dsl901,\n {2}dsl902,\n\];\n$/);
      assert.doesNotMatch(r.stdout, /dsl9-short|dsl903|from '\.\/framework';\nimport type/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('README rules table', () => {
  it('is up to date with the rule metadata (run `npm run docs`)', () => {
    const text = fs.readFileSync(README, 'utf8');
    assert.ok(text.includes(README_TABLE_START), 'README.md lost its rules-table markers');
    assert.equal(
      updateReadmeRulesTable(text, RULES),
      text,
      'README.md rules table is stale: run `npm run docs`',
    );
  });
});
