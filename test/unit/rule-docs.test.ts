/** docs/rules.md is generated from the rule metadata and up to date; every rule's metadata is complete; every catalogue code is registered. */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { ruleUrl } from '../../server/src/core/analyze';
import { RULES } from '../../server/src/core/rules';
import {
  README_TABLE_START,
  renderRulesMarkdown,
  ruleAnchor,
  updateReadmeRulesTable,
} from '../../server/src/core/rules/docs';
import type { Rule } from '../../server/src/core/rules/framework';
import { README, RULES_DOC } from '../tools/generate-rule-docs';

/** Every code of the rule catalogue (rules.md: General, DSL101–DSL126, DSL301–DSL307, DSL401–DSL406, DSL501–DSL506). */
const CATALOGUE = [
  'DSL001',
  'DSL002',
  'DSL003',
  'DSL101',
  'DSL102',
  'DSL103',
  'DSL104',
  'DSL105',
  'DSL106',
  'DSL107',
  'DSL108',
  'DSL109',
  'DSL110',
  'DSL111',
  'DSL112',
  'DSL113',
  'DSL114',
  'DSL115',
  'DSL116',
  'DSL117',
  'DSL118',
  'DSL119',
  'DSL120',
  'DSL121',
  'DSL122',
  'DSL123',
  'DSL124',
  'DSL125',
  'DSL126',
  'DSL301',
  'DSL302',
  'DSL303',
  'DSL304',
  'DSL305',
  'DSL306',
  'DSL307',
  'DSL401',
  'DSL402',
  'DSL403',
  'DSL404',
  'DSL405',
  'DSL406',
  'DSL501',
  'DSL502',
  'DSL503',
  'DSL504',
  'DSL505',
  'DSL506',
];

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

  it('registers every code of the catalogue (fails until every rule is written)', () => {
    const registered = new Set(RULES.map((r) => r.code));
    assert.deepEqual(
      CATALOGUE.filter((c) => !registered.has(c)),
      [],
      'catalogue codes without a registered rule',
    );
    assert.deepEqual(
      RULES.map((r) => r.code).filter((c) => !CATALOGUE.includes(c)),
      [],
      'registered codes missing from the catalogue list in this test',
    );
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
