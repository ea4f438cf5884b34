/** package.json stays true to the code: settings match the zod OptionsSchema, commands match common/protocol.ts, activation and packaging stay narrow. */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { z } from 'zod';
import * as protocol from '../../common/protocol';
import { HORIZON_RELEASE_PATTERN, OptionsSchema } from '../../server/src/core/options';
import { REPO_ROOT } from '../real/helpers/paths';

interface ConfigProperty {
  type?: string;
  default?: unknown;
  enum?: unknown[];
  items?: { type?: string; pattern?: string };
  patternProperties?: Record<string, { type?: string; enum?: unknown[] }>;
  markdownDescription?: string;
  description?: string;
}

interface Manifest {
  main: string;
  icon?: string;
  engines: { vscode: string; node: string };
  devDependencies: Record<string, string>;
  repository?: { url?: string };
  homepage?: string;
  bugs?: { url?: string };
  keywords?: string[];
  enabledApiProposals?: unknown;
  extensionDependencies?: string[];
  activationEvents: string[];
  capabilities?: {
    untrustedWorkspaces?: { supported: unknown };
    virtualWorkspaces?: { supported: unknown; description?: string };
  };
  contributes: {
    configuration: { properties: Record<string, ConfigProperty> };
    commands: { command: string; title: string }[];
    menus?: Record<string, { command: string; when?: string }[]>;
    snippets: { language: string; path: string }[];
    views?: Record<string, { id: string; name: string }[]>;
    languages: { id: string; filenames?: string[] }[];
  };
}

const PREFIX = `${protocol.EXTENSION_ID}.`;
const manifest = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as Manifest;
const properties = manifest.contributes.configuration.properties;

/** Settings only the client reads (the server never sees them through OptionsSchema). */
const CLIENT_ONLY = [protocol.SETTING_FILE_PATTERNS, 'trace.server'];
/** Settings only the language server reads, outside the shared schema. */
const SERVER_ONLY = [
  protocol.SETTING_REPORT_SYNTAX_ERRORS,
  protocol.SETTING_CONNECTION_CHECK_ENABLED,
  protocol.SETTING_CONNECTION_CHECK_LOGIN,
];

type JsonSchema = {
  type?: string;
  enum?: unknown[];
  items?: { type?: string; pattern?: string };
  additionalProperties?: { type?: string; enum?: unknown[] };
  propertyNames?: { pattern?: string };
};
const schema = z.toJSONSchema(OptionsSchema, { io: 'input' }) as { properties: Record<string, JsonSchema> };
const defaults = OptionsSchema.parse({}) as Record<string, unknown>;

/** Every exported string of common/protocol.ts shaped like a command id (`djangoSessionLint.x`, `djangoSessionLint.server.x`). */
function protocolCommandIds(): string[] {
  return (Object.values(protocol) as unknown[])
    .filter(
      (v): v is string => typeof v === 'string' && /^djangoSessionLint\.[A-Za-z]+(\.[A-Za-z]+)*$/.test(v),
    )
    .sort();
}

describe('package.json manifest', () => {
  describe('contributes.configuration', () => {
    it('has exactly the OptionsSchema keys plus the client-only and server-only settings', () => {
      const expected = [...Object.keys(OptionsSchema.shape), ...CLIENT_ONLY, ...SERVER_ONLY]
        .map((k) => PREFIX + k)
        .sort();
      assert.deepEqual(Object.keys(properties).sort(), expected);
    });

    for (const key of Object.keys(OptionsSchema.shape)) {
      it(`${PREFIX}${key}: same default, type and allowed values as OptionsSchema`, () => {
        const prop = properties[PREFIX + key];
        assert.ok(prop, `${PREFIX}${key} is not contributed`);
        const s = schema.properties[key];
        assert.ok(s);
        assert.deepEqual(prop.default, defaults[key], 'default');
        assert.equal(prop.type, s.type, 'type');
        assert.deepEqual(prop.enum, s.enum, 'enum');
        if (s.items) assert.deepEqual(prop.items?.pattern, s.items.pattern, 'items.pattern');
        if (s.additionalProperties?.enum) {
          const pattern = s.propertyNames?.pattern;
          assert.ok(pattern, 'record keys need a pattern');
          assert.deepEqual(
            prop.patternProperties?.[pattern]?.enum,
            s.additionalProperties.enum,
            'record value enum',
          );
        }
      });
    }

    it('every setting has a Markdown description', () => {
      for (const [key, prop] of Object.entries(properties))
        assert.ok(
          prop.markdownDescription && prop.markdownDescription.length > 20,
          `${key} lacks a markdownDescription`,
        );
    });

    it('horizonRelease takes release names (any case) as the CLI does: one pattern for both', () => {
      const prop = properties[PREFIX + 'horizonRelease'] as ConfigProperty & { pattern?: string };
      assert.equal(prop.pattern, HORIZON_RELEASE_PATTERN);
      for (const name of ['zed', 'Zed', 'antelope', 'Gazpacho'])
        assert.ok(OptionsSchema.safeParse({ horizonRelease: name }).success, name);
    });

    it('the version patterns accept and reject what OptionsSchema accepts and rejects', () => {
      const samples: Record<string, string[]> = {
        djangoVersion: ['', '4.2', '5.2', '10.0', '4', '4.2.1', 'latest', ' 4.2'],
        horizonRelease: [
          '',
          '2024.1',
          '2025.2',
          '2024.3',
          '23.4.0',
          '2024',
          '23.4',
          'dalmatian',
          'Zed',
          'ANTELOPE',
          'stein',
          'zedd',
          'stable/zed',
        ],
      };
      for (const [key, values] of Object.entries(samples)) {
        const pattern = (properties[PREFIX + key] as ConfigProperty & { pattern?: string }).pattern;
        assert.ok(pattern, `${key} has no pattern`);
        for (const v of values)
          assert.equal(
            new RegExp(pattern).test(v),
            OptionsSchema.safeParse({ [key]: v }).success,
            `${key} = ${JSON.stringify(v)}`,
          );
      }
    });

    it('client-only settings: filePatterns defaults to the shared list, trace.server is off/messages/verbose', () => {
      assert.deepEqual(properties[`${PREFIX}filePatterns`]?.default, [...protocol.DEFAULT_FILE_PATTERNS]);
      assert.deepEqual(properties[`${PREFIX}trace.server`]?.enum, ['off', 'messages', 'verbose']);
      assert.equal(properties[`${PREFIX}trace.server`]?.default, 'off');
      assert.equal(properties[`${PREFIX}reportSyntaxErrors`]?.type, 'boolean');
    });
  });

  describe('commands', () => {
    it('every command id in common/protocol.ts is contributed, and nothing else', () => {
      const contributed = manifest.contributes.commands.map((c) => c.command).sort();
      // View ids look like command ids; they are contributed as views.
      const views = new Set(
        Object.values(manifest.contributes.views ?? {}).flatMap((v) => v.map((x) => x.id)),
      );
      assert.deepEqual(
        contributed,
        protocolCommandIds().filter((id) => !views.has(id)),
      );
    });

    it('every view id in common/protocol.ts is contributed', () => {
      const views = Object.values(manifest.contributes.views ?? {}).flatMap((v) => v.map((x) => x.id));
      assert.deepEqual(views, [protocol.VIEW_SESSION_STORAGE]);
    });

    it('every command has a title and menus only name contributed commands', () => {
      const ids = new Set(manifest.contributes.commands.map((c) => c.command));
      for (const c of manifest.contributes.commands) assert.ok(c.title.length > 3, c.command);
      for (const [menu, entries] of Object.entries(manifest.contributes.menus ?? {}))
        for (const e of entries) assert.ok(ids.has(e.command), `${menu} names ${e.command}`);
    });

    it('commands that need arguments from the server are hidden from the palette', () => {
      const palette = new Map(
        (manifest.contributes.menus?.['commandPalette'] ?? []).map((e) => [e.command, e.when]),
      );
      for (const id of [
        protocol.COMMAND_SHOW_RULE_DOCS,
        protocol.SERVER_COMMAND_FIX_ALL,
        protocol.SERVER_COMMAND_APPLY_SESSION_STORAGE,
      ])
        assert.equal(palette.get(id), 'false', id);
    });
  });

  describe('activation and capabilities', () => {
    it('activates only when a Python document opens (no workspace-wide search at start-up)', () => {
      // RDO's extension-less local_settings opens as Python (contributes.languages), so onLanguage:python covers
      // every default file pattern; the client starts the server only for documents its selector matches, and
      // contributed commands activate the extension by themselves (VS Code ≥ 1.74).
      assert.deepEqual(manifest.activationEvents, ['onLanguage:python']);
      for (const p of protocol.DEFAULT_FILE_PATTERNS) {
        const base = p.split('/').pop() ?? p;
        assert.ok(
          /\.py$/.test(base) || manifest.contributes.languages.some((l) => l.filenames?.includes(base)),
          `${p} would not open as Python`,
        );
      }
    });

    it('declares untrusted and virtual workspace support (nothing is executed; files on disk only)', () => {
      assert.equal(manifest.capabilities?.untrustedWorkspaces?.supported, true);
      assert.equal(manifest.capabilities?.virtualWorkspaces?.supported, 'limited');
      assert.ok((manifest.capabilities?.virtualWorkspaces?.description ?? '').length > 20);
    });

    it("opens RDO's extension-less local_settings as Python and contributes the snippets file", () => {
      const python = manifest.contributes.languages.find((l) => l.id === 'python');
      assert.deepEqual(python?.filenames, ['local_settings']);
      for (const s of manifest.contributes.snippets) {
        assert.equal(s.language, 'python');
        const file = path.join(REPO_ROOT, s.path);
        const snippets = JSON.parse(fs.readFileSync(file, 'utf8')) as Record<
          string,
          { prefix: string; body: string[]; description: string }
        >;
        for (const [name, sn] of Object.entries(snippets)) {
          assert.match(sn.prefix, /^sessions-[a-z-]+$/, name);
          assert.ok(Array.isArray(sn.body) && sn.body.length > 1 && sn.description, name);
        }
      }
    });
  });

  describe('marketplace and Open VSX metadata', () => {
    it('has a 128×128 PNG icon that is packaged', () => {
      assert.ok(manifest.icon, 'icon');
      const png = fs.readFileSync(path.join(REPO_ROOT, manifest.icon));
      assert.equal(png.subarray(1, 4).toString('ascii'), 'PNG');
      assert.equal(png.readUInt32BE(16), 128, 'width');
      assert.equal(png.readUInt32BE(20), 128, 'height');
      const ignore = fs.readFileSync(path.join(REPO_ROOT, '.vscodeignore'), 'utf8');
      assert.match(ignore, /^!docs\/images\/\*\.png$/m, 'the icon is in the .vsix');
      assert.ok(manifest.icon.startsWith('docs/images/') && manifest.icon.endsWith('.png'));
    });

    it('names its repository, homepage, issue tracker and keywords, and ships a changelog', () => {
      assert.match(manifest.repository?.url ?? '', /^https:\/\/github\.com\/.+\.git$/);
      assert.match(manifest.homepage ?? '', /^https:\/\//);
      assert.match(manifest.bugs?.url ?? '', /^https:\/\/.+\/issues$/);
      assert.ok((manifest.keywords ?? []).length >= 5 && (manifest.keywords ?? []).length <= 30);
      assert.ok(fs.existsSync(path.join(REPO_ROOT, 'CHANGELOG.md')));
    });

    it('uses no proposed API and depends on no other extension (works in VSCodium / Open VSX as is)', () => {
      assert.equal(manifest.enabledApiProposals, undefined);
      assert.equal(manifest.extensionDependencies, undefined);
    });

    it('@types/vscode is not newer than engines.vscode (the API compiled against is the oldest supported)', () => {
      const engine = /^\^(\d+)\.(\d+)\.\d+$/.exec(manifest.engines.vscode);
      const types = /^[~^]?(\d+)\.(\d+)\.\d+$/.exec(manifest.devDependencies['@types/vscode'] ?? '');
      assert.ok(engine && types, `${manifest.engines.vscode} / ${manifest.devDependencies['@types/vscode']}`);
      assert.deepEqual([Number(types[1]), Number(types[2])], [Number(engine[1]), Number(engine[2])]);
      assert.match(manifest.devDependencies['@types/vscode'] ?? '', /^~/, 'no newer minor through ^');
    });
  });

  describe('packaging', () => {
    it('.vscodeignore is an allow-list: bundles, manifest, README, snippets; no sources or node_modules', () => {
      const lines = fs
        .readFileSync(path.join(REPO_ROOT, '.vscodeignore'), 'utf8')
        .split('\n')
        .map((l) => l.trim())
        .filter((l) => l !== '' && !l.startsWith('#'));
      assert.equal(lines[0], '**', 'the first pattern excludes everything');
      const allowed = lines.slice(1);
      for (const l of allowed) assert.ok(l.startsWith('!'), `only re-inclusions after "**": ${l}`);
      for (const needed of [
        '!package.json',
        '!README.md',
        '!dist/client.js',
        '!dist/server.js',
        '!dist/server-start.js',
        '!snippets/*.json',
      ])
        assert.ok(allowed.includes(needed), needed);
      for (const l of allowed) assert.doesNotMatch(l, /node_modules|\.ts$|src\/|^!out|^!test|\.map$/, l);
      assert.equal(manifest.main, './dist/client.js');
    });
  });
});
