/**
 * The language server's outputs pass the one masker (issue #9): diagnostics (messages, related information,
 * fix titles), hover and the effective configuration never show a planted secret; a switch named like a
 * password (password_autocomplete) is shown as it is (issue #8).
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Hover, MarkupContent } from 'vscode-languageserver/node';
import { EFFECTIVE_CONFIGURATION_REQUEST } from '../../common/protocol';
import { PLANTED as ALL_PLANTED, PLANTED_SETTINGS } from '../helpers/planted-secrets';
import { LspClient } from './lsp-client';

// `p9` is left out here: a two-letter string can occur in URIs and ids of the protocol's answers.
const PLANTED = ALL_PLANTED.filter((secret) => secret.length >= 4);
const TEXT = PLANTED_SETTINGS;

describe('lsp: secrets in every output', () => {
  let tmp = '';
  let client: LspClient | undefined;
  afterEach(async () => {
    await client?.stop();
    client = undefined;
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('diagnostics, hovers and the effective configuration mask every planted secret', async () => {
    tmp = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'dsl-lsp-secrets-')));
    const file = path.join(tmp, 'horizon', 'local_settings.py');
    fs.mkdirSync(path.join(tmp, 'horizon', 'local_settings.d'), { recursive: true });
    fs.writeFileSync(file, TEXT);
    client = await LspClient.start({
      root: tmp,
      settings: { djangoVersion: '4.2', horizonRelease: '2024.2' },
    });
    const uri = client.open(file);
    const published = await client.waitForDiagnostics(uri, (p) => p.diagnostics.length > 0);
    const outputs: unknown[] = [published];
    const lines = TEXT.split('\n');
    // Hover every line at several columns: keys, values, the CACHES name.
    for (let line = 0; line < lines.length; line++) {
      for (const character of [0, 5, 20, 40, 60, 75, 90]) {
        if (character > (lines[line] ?? '').length) continue;
        const hover = (await client.connection.sendRequest('textDocument/hover', {
          textDocument: { uri },
          position: { line, character },
        })) as Hover | null;
        if (hover) outputs.push((hover.contents as MarkupContent).value);
      }
    }
    outputs.push(await client.connection.sendRequest(EFFECTIVE_CONFIGURATION_REQUEST, { uri }));
    const all = JSON.stringify(outputs);
    for (const secret of PLANTED) assert.ok(!all.includes(secret), `${secret} shown: ${all.slice(0, 2000)}`);
    assert.ok(outputs.length > 5, 'hovers answered');
    assert.match(all, /user:\*\*\*@redis.internal/); // the scheme-less LOCATION is shown, masked
    assert.match(all, /password_autocomplete/);
  });
});
