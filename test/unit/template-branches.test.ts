/**
 * Conditional blocks in settings templates (kolla-ansible's `*.py.j2`, puppet's `*.py.erb`) are alternatives:
 * each arm one possibility, never merged into a sequence that no rendering produces.
 */
import assert from 'node:assert/strict';
import { evaluateModule } from '../../server/src/core/evaluate/evaluate';
import { templateIfs } from '../../server/src/core/evaluate/template-branches';
import { describe as describeValue } from '../../server/src/core/evaluate/values';
import { parsePython } from '../../server/src/core/python/parse';

function evaluate(file: string, text: string): Record<string, string> {
  const ev = evaluateModule(parsePython(file, text), {});
  return Object.fromEntries([...ev.env].map(([n, b]) => [n, describeValue(b.value, 1000)]));
}

// In the style of kolla-ansible's _9998-kolla-settings.py.j2: a session backend chosen by if/elif, a loop and an
// inline if inside a list, an optional block, and an empty if arm with an else.
const KOLLA_STYLE = `DEBUG = {{ horizon_logging_debug }}
{% if horizon_backend_database | bool %}
SESSION_ENGINE = 'django.contrib.sessions.backends.db'
DATABASES = {'default': {'ENGINE': 'django.db.backends.mysql', 'NAME': '{{ horizon_database_name }}'}}
{% elif horizon_session_cache_backend == 'memcached' %}
SESSION_ENGINE = 'django.contrib.sessions.backends.cache'
CACHES = {
    'default': {
        'BACKEND': 'django.core.cache.backends.memcached.PyMemcacheCache',
        'LOCATION': [
{%     for host in groups['memcached'] %}
            '{{ host }}:11211'{% if not loop.last %},{% endif %}
{%     endfor %}
        ],
    }
}
{% endif %}
{% if kolla_enable_tls_external | bool %}
SESSION_COOKIE_SECURE = True
{% endif %}
{% if openstack_cacert == "" %}
{% else %}
OPENSTACK_SSL_CACERT = '{{ openstack_cacert }}'
{% endif %}
`;

describe('template conditionals are alternatives', () => {
  it('finds the outermost if/elif/else blocks of Jinja and ERB, with their arms and conditions', () => {
    const blocks = templateIfs(KOLLA_STYLE);
    assert.deepEqual(
      blocks.map((b) => b.arms.map((a) => a.condition ?? '(else)')),
      [
        ['horizon_backend_database | bool', "horizon_session_cache_backend == 'memcached'"],
        ['kolla_enable_tls_external | bool'],
        ['openstack_cacert == ""', '(else)'],
      ],
    );
    const erb = templateIfs(
      '<% if @a -%>\nX = 1\n<% elsif @b -%>\nX = 2\n<% else -%>\nX = 3\n<% end -%>\n<% @l.each do |h| -%>\n<% end -%>\n',
    );
    assert.deepEqual(
      erb.map((b) => b.arms.length),
      [3],
    );
  });

  it('runs each arm of a kolla-style template as one possibility, never in sequence', () => {
    const v = evaluate('_9998-kolla-settings.py.j2', KOLLA_STYLE);
    // In sequence SESSION_ENGINE would be 'cache' and DATABASES and CACHES both set: no rendering does that.
    assert.equal(
      v['SESSION_ENGINE'],
      "'django.contrib.sessions.backends.db' | 'django.contrib.sessions.backends.cache' | <not set on every path>",
    );
    assert.match(
      v['DATABASES'] ?? '',
      /^\{'default': \{'ENGINE': 'django.db.backends.mysql'.*\| <not set on every path> \| <not set on every path>$/,
    );
    assert.match(
      v['CACHES'] ?? '',
      /^<not set on every path> \| \{'default': \{'BACKEND': 'django.core.cache.backends.memcached.PyMemcacheCache'/,
    );
    assert.equal(v['SESSION_COOKIE_SECURE'], 'True | <not set on every path>');
    assert.equal(v['OPENSTACK_SSL_CACERT'], '<not set on every path> | <template expression>');
  });

  it('does the same for ERB (puppet-horizon style)', () => {
    const v = evaluate(
      'local_settings.py.erb',
      "<% if @cache_server_ip -%>\nCACHES = {'default': {'BACKEND': 'django.core.cache.backends.memcached.PyMemcacheCache', 'LOCATION': '<%= @cache_server_ip %>:11211'}}\n<% else -%>\nCACHES = {'default': {'BACKEND': 'django.core.cache.backends.locmem.LocMemCache'}}\n<% end -%>\n",
    );
    assert.match(
      v['CACHES'] ?? '',
      /PyMemcacheCache.* \| \{'default': \{'BACKEND': 'django.core.cache.backends.locmem.LocMemCache'\}\}$/,
    );
  });
});
