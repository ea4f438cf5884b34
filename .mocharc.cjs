/* global process, module */
// mocha's configuration. Without a test file on the command line, `npx mocha` runs every suite under out/test
// (not the editor suites in out/test/e2e, which run inside VS Code). With one or more, it runs only those:
// `npx mocha out/test/unit/rules/dsl104-locmem-session-cache.test.js` (after `npx tsc -b`). A spec given in a
// config file is otherwise *added* to the command line's, so one file could not be run on its own.
const named = process.argv.slice(2).some((a) => /\.test\.[cm]?js$/.test(a) || a.includes('*'));

module.exports = {
  spec: named ? [] : ['out/test/**/*.test.js'],
  ignore: ['out/test/e2e/**'],
  timeout: 20000,
  reporter: 'spec',
};
