#!/usr/bin/env node
// Installed entry point of the language server (package.json "bin"): `django-session-lint-server --stdio`.
require('../dist/server-start.js');
