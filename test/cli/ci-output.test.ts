/** CI formats: `--format github` workflow commands (escaping, levels, positions), `--format gitlab` Code Quality JSON (stable fingerprints), and the SARIF log validated against the SARIF 2.1.0 JSON schema with GitHub's security properties. */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import Ajv from 'ajv-draft-04';
import addFormats from 'ajv-formats';
import type * as sarif from 'sarif';
import { escapeData, escapeProperty, githubAnnotation } from '../../server/src/cli/output-github';
import type { PresentedDiagnostic } from '../../server/src/cli/diagnostics';
import type { CodeQualityIssue } from '../../server/src/cli/output-gitlab';
import { assertBundle, LOCMEM_SETTINGS, makeProject, removeProject, REPO_ROOT, runCli } from './cli-harness';

/** Insecure cookies and a literal database password: DSL501/DSL504/DSL124 in production. */
const INSECURE = `SESSION_ENGINE = 'django.contrib.sessions.backends.cache'
CACHES = {'default': {'BACKEND': 'django.core.cache.backends.locmem.LocMemCache'}}
INSTALLED_APPS = ['django.contrib.sessions']
SESSION_COOKIE_SECURE = False
DATABASES = {'default': {'ENGINE': 'django.db.backends.mysql', 'NAME': 'x', 'PASSWORD': 'hunter2hunter2'}}
`;

function diagnostic(over: Partial<PresentedDiagnostic>): PresentedDiagnostic {
  return {
    path: 'app/settings.py',
    line: 2,
    column: 1,
    endLine: 2,
    endColumn: 10,
    severity: 'warning',
    code: 'DSL104',
    name: 'locmem-session-cache',
    message: 'm',
    url: undefined,
    related: [],
    fix: null,
    excerpt: undefined,
    ...over,
  };
}

describe('cli: --format github', () => {
  it('escapes messages and properties as the Actions toolkit does', () => {
    assert.equal(escapeData('50% a\r\nb'), '50%25 a%0D%0Ab');
    assert.equal(escapeProperty('a:b,c%\n'), 'a%3Ab%2Cc%25%0A');
  });

  it('puts positions, level and title in properties and keeps a hostile message on one line', () => {
    const line = githubAnnotation(
      diagnostic({
        path: 'we,ird:dir/settings.py',
        line: 3,
        column: 5,
        endLine: 4,
        endColumn: 2,
        severity: 'information',
        message: 'bad\n::error::injected 100%',
        related: [{ path: 'b.py', line: 9, column: 1, endLine: 9, endColumn: 2, message: 'CACHES set here' }],
      }),
    );
    assert.equal(
      line,
      '::notice file=we%2Cird%3Adir/settings.py,line=3,col=5,endLine=4,endColumn=2,title=DSL104 (locmem-session-cache)::' +
        'DSL104 bad\\x0a::error::injected 100%25%0Anote: CACHES set here: b.py:9\n',
    );
    assert.equal(line.split('\n').length, 2, 'one line and its newline');
  });

  it('annotates the lines of a real run, one command per finding, nothing else on stdout', () => {
    assertBundle();
    const dir = makeProject({ 'app/settings.py': LOCMEM_SETTINGS });
    try {
      const r = runCli(['app', '--format', 'github', '--profile', 'production', '--select', 'DSL104'], dir);
      assert.equal(r.stderr, '');
      assert.equal(r.status, 0, 'a warning does not fail with --fail-on error');
      const lines = r.stdout.trimEnd().split('\n');
      assert.equal(lines.length, 1, r.stdout);
      assert.match(
        lines[0] ?? '',
        /^::warning file=app\/settings\.py,line=2,col=\d+,endLine=2,endColumn=\d+,title=DSL104 \(locmem-session-cache\)::DSL104 /,
      );
    } finally {
      removeProject(dir);
    }
  });
});

describe('cli: --format gitlab', () => {
  function run(dir: string): CodeQualityIssue[] {
    const r = runCli(['app', '--format', 'gitlab', '--profile', 'production', '--fail-on', 'never'], dir);
    assert.equal(r.status, 0, r.stderr);
    return JSON.parse(r.stdout) as CodeQualityIssue[];
  }

  it('writes Code Quality issues with severities, paths and begin lines; fingerprints survive edits above', () => {
    assertBundle();
    const dir = makeProject({ 'app/settings.py': INSECURE });
    try {
      const before = run(dir);
      const codes = before.map((i) => i.check_name);
      assert.ok(
        codes.includes('DSL104') && codes.includes('DSL501') && codes.includes('DSL124'),
        codes.join(),
      );
      for (const i of before) {
        assert.equal(i.type, 'issue');
        assert.equal(i.location.path, 'app/settings.py');
        assert.ok(i.location.lines.begin >= 1);
        assert.match(i.fingerprint, /^[0-9a-f]{64}$/);
        assert.ok(i.description.startsWith(`${i.check_name} `));
        assert.ok(!i.description.includes('hunter2'), 'the password is masked');
      }
      assert.equal(new Set(before.map((i) => i.fingerprint)).size, before.length, 'fingerprints are unique');
      const dsl104 = before.find((i) => i.check_name === 'DSL104');
      assert.equal(dsl104?.severity, 'minor', 'a warning');
      assert.equal(dsl104?.location.lines.begin, 2);
      assert.deepEqual(before.find((i) => i.check_name === 'DSL501')?.categories, ['Security']);

      // Two comment lines above everything: lines move, fingerprints stay.
      fs.writeFileSync(path.join(dir, 'app/settings.py'), `# one\n# two\n${INSECURE}`);
      const after = run(dir);
      assert.deepEqual(
        after.map((i) => [i.check_name, i.fingerprint]),
        before.map((i) => [i.check_name, i.fingerprint]),
      );
      assert.equal(after.find((i) => i.check_name === 'DSL104')?.location.lines.begin, 4);
    } finally {
      removeProject(dir);
    }
  });

  it('reports the findings JSON reports, fixable or not (fixes are not verified for it)', () => {
    assertBundle();
    const dir = makeProject({ 'app/settings.py': INSECURE });
    try {
      const r = runCli(['app', '--format', 'json', '--profile', 'production', '--fail-on', 'never'], dir);
      assert.equal(r.status, 0, r.stderr);
      const json = (JSON.parse(r.stdout) as { diagnostics: { code: string; line: number; fix: unknown }[] })
        .diagnostics;
      assert.ok(
        json.some((d) => d.code === 'DSL104' && d.fix !== null),
        'JSON shows the verified DSL104 fix',
      );
      const gitlab = run(dir);
      assert.deepEqual(
        gitlab.map((i) => [i.check_name, i.location.lines.begin]),
        json.map((d) => [d.code, d.line]),
      );
    } finally {
      removeProject(dir);
    }
  });
});

describe('cli: SARIF against the 2.1.0 schema', () => {
  const schema = JSON.parse(
    fs.readFileSync(path.join(REPO_ROOT, 'test/fixtures/sarif/sarif-2.1.0-rtm.5.json'), 'utf8'),
  ) as object;
  // The schema has a pattern (`[a-zA-Z]{2}]?`) that is invalid as a unicode regular expression.
  const ajv = new Ajv({ allErrors: true, strict: false, unicodeRegExp: false });
  addFormats(ajv);
  const validate = ajv.compile(schema);

  it('the validator rejects a broken log (so the next test can fail)', () => {
    assert.equal(validate({ version: '2.1.0', runs: [{ tool: {} }] }), false);
    assert.equal(
      validate({ version: '2.1.0', runs: [{ tool: { driver: { name: 'x' } }, results: [{}] }] }),
      false,
    );
  });

  it('validates a real log with results, related locations, fixes and security properties', () => {
    assertBundle();
    const dir = makeProject({
      'app/settings.py': INSECURE,
      'legacy/settings.py': `SESSION_ENGINE = 'django.contrib.sessions.backends.cache.SessionStore'\n`,
    });
    try {
      const r = runCli(['app', 'legacy', '--format', 'sarif', '--profile', 'production'], dir);
      assert.equal(r.stderr, '');
      const log = JSON.parse(r.stdout) as sarif.Log;
      const ok = validate(log);
      assert.ok(ok, JSON.stringify(validate.errors?.slice(0, 5), null, 2));
      const run = log.runs[0];
      const results = run?.results ?? [];
      assert.ok(results.some((x) => x.fixes) && results.some((x) => x.relatedLocations));

      const rules = run?.tool.driver.rules ?? [];
      const security = rules
        .filter((x) => x.properties?.['security-severity'] !== undefined)
        .map((x) => x.id);
      assert.deepEqual(security, ['DSL124', 'DSL501', 'DSL502', 'DSL503', 'DSL504', 'DSL505', 'DSL506']);
      for (const rule of rules) {
        const sev = rule.properties?.['security-severity'] as unknown;
        if (sev === undefined) {
          assert.equal(rule.properties?.tags, undefined, rule.id);
          continue;
        }
        assert.equal(typeof sev, 'string', rule.id);
        assert.match(sev as string, /^\d+\.\d$/);
        assert.ok(Number(sev) > 0 && Number(sev) <= 10, rule.id);
        assert.deepEqual((rule.properties?.tags as string[])[0], 'security');
        assert.match((rule.properties?.tags as string[])[1] ?? '', /^external\/cwe\/cwe-\d+$/);
      }
      const dsl501 = results.find((x) => x.ruleId === 'DSL501');
      assert.equal(dsl501?.properties?.['security-severity'], '7.5');
      assert.deepEqual(dsl501?.properties?.tags, ['security', 'external/cwe/cwe-614']);
      const dsl104 = results.find((x) => x.ruleId === 'DSL104');
      assert.ok(dsl104, 'DSL104 reported');
      assert.equal(dsl104.properties?.['security-severity'], undefined, 'not a security rule');
    } finally {
      removeProject(dir);
    }
  });
});

describe('GitHub Action (action.yml + scripts/action.sh)', () => {
  const script = path.join(REPO_ROOT, 'scripts', 'action.sh');

  function step(
    command: string,
    cwd: string,
    env: Record<string, string>,
  ): { status: number | null; stdout: string; stderr: string } {
    const r = spawnSync('bash', [script, command], {
      cwd,
      encoding: 'utf8',
      env: { ...process.env, ...env },
    });
    if (r.error) throw r.error;
    return { status: r.status, stdout: r.stdout, stderr: r.stderr };
  }

  it('action.yml declares the inputs and runs each step of the script, uploading SARIF only when asked', () => {
    const yml = fs.readFileSync(path.join(REPO_ROOT, 'action.yml'), 'utf8');
    assert.match(yml, /^runs:\n {2}using: composite$/m);
    for (const input of ['paths', 'args', 'sarif', 'sarif-file'])
      assert.match(yml, new RegExp(`^ {2}${input}:\\n {4}description: `, 'm'), input);
    for (const command of ['build', 'sarif', 'lint'])
      assert.ok(yml.includes(`run: bash "$GITHUB_ACTION_PATH/scripts/action.sh" ${command}\n`), command);
    const upload =
      /- name: Upload SARIF[^\n]*\n {6}if: inputs\.sarif == 'true'\n {6}uses: github\/codeql-action\/upload-sarif@v3/;
    assert.match(yml, upload);
  });

  it('writes a valid SARIF file without failing, then annotates and fails on findings', () => {
    assertBundle();
    const dir = makeProject({ 'deploy/app/settings.py': INSECURE });
    const output = path.join(dir, 'github-output');
    try {
      const env = {
        INPUT_PATHS: 'deploy/app\n',
        INPUT_ARGS: '--profile production --fail-on warning',
        INPUT_SARIF_FILE: 'out.sarif',
        GITHUB_OUTPUT: output,
      };
      const sarifStep = step('sarif', dir, env);
      assert.equal(sarifStep.status, 0, sarifStep.stderr);
      assert.equal(fs.readFileSync(output, 'utf8'), 'sarif-file=out.sarif\n');
      const log = JSON.parse(fs.readFileSync(path.join(dir, 'out.sarif'), 'utf8')) as sarif.Log;
      assert.ok((log.runs[0]?.results ?? []).some((x) => x.ruleId === 'DSL501'));

      const lint = step('lint', dir, env);
      assert.equal(lint.status, 1, 'warnings fail with --fail-on warning');
      assert.match(lint.stdout, /^::warning file=deploy\/app\/settings\.py,line=4,.*title=DSL501 /m);
      assert.ok(
        lint.stdout.split('\n').every((l) => l === '' || l.startsWith('::')),
        lint.stdout,
      );

      const clean = step('lint', dir, { ...env, INPUT_ARGS: '--select DSL2' });
      assert.equal(clean.stderr.includes('matches no rule'), true);
      assert.equal(clean.status, 0);
    } finally {
      removeProject(dir);
    }
  });
});
