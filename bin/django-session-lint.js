#!/usr/bin/env node
// Installed entry point (package.json "bin"): the bundled CLI does all the work.
require('../dist/cli.js');
