/** The tool's name and version as printed by --version and written into JSON/SARIF; constants only (a test keeps them equal to package.json). */

export const TOOL_NAME = 'django-session-lint';
// A constant rather than a runtime read of package.json: the bundle may be copied anywhere, and a test
// (test/cli/args.test.ts) fails when the two disagree.
export const TOOL_VERSION = '0.1.0';
export const TOOL_URI = 'https://github.com/django-session-lint/django-session-lint';
