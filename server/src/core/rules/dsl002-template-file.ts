/** DSL002: a settings template (Jinja/ERB): template tags are masked and their values are Unknown. */
import { defineRule } from './framework';

export default defineRule({
  code: 'DSL002',
  name: 'template-file',
  title: 'Template, not plain Python',
  severity: { production: 'information', development: 'information' },
  versionDependent: false,
  fix: 'none',
  docs: {
    what: 'The file is a deployment template (`.j2`, `.jinja`, `.erb`, or a `.py` containing `{{ }}`, `{% %}` or `<% %>`). It is analysed with the template tags masked; every value that comes from a template expression is treated as unknown.',
    why: 'Deployment tools (kolla-ansible, puppet-horizon, openstack-ansible) render local_settings from templates. Values filled in at render time cannot be checked here, so findings only cover what is written literally.',
    example:
      "CACHES = {\n    'default': {\n        'BACKEND': 'django.core.cache.backends.memcached.PyMemcacheCache',\n        'LOCATION': '{{ memcached_servers }}',\n    }\n}",
    useInstead: 'Lint the rendered file as well (for example the local_settings.py on a deployed host).',
    fixSafety: 'Informational; nothing to fix.',
  },
  check(ctx) {
    for (const f of ctx.project.files) {
      if (!f.parsed.template) continue;
      ctx.report({
        at: { file: f.path, from: 0, to: 0 },
        message:
          'Template file: template tags are masked and values from template expressions are not checked.',
        settings: [],
      });
    }
  },
});
