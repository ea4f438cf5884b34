/** DSL002: a settings file with template tags is analysed with the tags masked, and says so. */
import assert from 'node:assert/strict';
import { expectFindings, lint, onlyFinding } from '../../helpers/rule-harness';

const CODE = ['DSL002'];

describe('DSL002 template-file', () => {
  it('fires once at the top of a .py file with Jinja tags, as information, and still analyses the literal parts', () => {
    const files = {
      'local_settings.py':
        "DEBUG = False  #! DSL002\n{% if use_memcached %}\nSESSION_ENGINE = 'django.core.cache.backends.db.DatabaseCache'\n{% else %}\nSESSION_ENGINE = 'django.core.cache.backends.locmem.LocMemCache'\n{% endif %}\nCACHES = {'default': {'BACKEND': 'django.core.cache.backends.memcached.PyMemcacheCache', 'LOCATION': '{{ memcached_servers }}'}}\n",
    };
    const a = expectFindings(files, CODE);
    const f = onlyFinding('DSL002', files);
    assert.equal(f.severity, 'information');
    assert.equal(f.span.from, 0);
    assert.match(f.message, /template tags are masked and values from template expressions are not checked/);
    assert.ok(
      a.findings.some((x) => x.code === 'DSL101'),
      'the literal SESSION_ENGINE of each arm between the tags is still judged',
    );
    assert.ok(!a.findings.some((x) => x.code === 'DSL001'), 'masked tags are not syntax errors');
  });

  it('fires for ERB tags too', () => {
    expectFindings(
      {
        'local_settings.py':
          "SECRET_KEY = '<%= @secret_key %>'  #! DSL002\n<% if @debug %>\nDEBUG = True\n<% end %>\n",
      },
      CODE,
    );
  });

  it('does not fire on plain Python, nor on braces inside f-strings', () => {
    expectFindings({ 'local_settings.py': "NAME = 'x'\nLABEL = f'{{{NAME}}}'\nDEBUG = False\n" }, CODE);
    assert.equal(
      lint({ 'local_settings.py': 'DEBUG = False\n' }).findings.filter((f) => f.code === 'DSL002').length,
      0,
    );
  });
});
