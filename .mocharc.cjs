/* global process, module */
// mocha's configuration. Without a test file on the command line, `npx mocha` runs every suite under out/test
// (not the editor suites in out/test/e2e, which run inside VS Code). With one or more, it runs only those:
// `npx mocha out/test/unit/rules/dsl104-locmem-session-cache.test.js` (after `npx tsc -b`). A spec given in a
// config file is otherwise *added* to the command line's, so one file could not be run on its own.
const named = process.argv.slice(2).some((a) => /\.test\.[cm]?js$/.test(a) || a.includes('*'));

module.exports = {
  spec: named ? [] : ['out/test/**/*.test.js'],
  ignore: ['out/test/e2e/**'],
  // A guard against a hang, not a speed target (speed is `npm run bench`'s): the longest properties take ~12 s
  // on a loaded 2-core machine, and 20 s once ran out there.
  timeout: 60000,
  reporter: 'spec',
};
