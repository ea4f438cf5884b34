/**
 * String building in the evaluator: printf-style `%`, str.format, str.join, the common str methods and
 * str()/int(), on known values (exact results, as CPython prints them) and on environment lookups (Unknown
 * naming the variable, with the result over the visible default "if the variable is unset").
 */
import assert from 'node:assert/strict';
import { describe as describeValue } from '../../server/src/core/evaluate/values';
import { evaluateText, show, valueOf } from '../helpers/evaluate-text';

function check(src: string, expected: Record<string, string>): void {
  const ev = evaluateText(src);
  for (const [name, want] of Object.entries(expected))
    assert.equal(show(ev, name), want, `${name} in:\n${src}`);
}

function fromEnv(src: string, name: string): { envVar?: string; default?: string; whenSet?: string } {
  const v = valueOf(evaluateText(src), name);
  assert.equal(v?.kind, 'unknown', `${name} should be unknown`);
  if (v?.kind !== 'unknown') return {};
  const d = v.default;
  return {
    ...(v.envVar ? { envVar: v.envVar } : {}),
    ...(d ? { default: describeValue(d, 10_000) } : {}),
    ...(v.whenSet ? { whenSet: v.whenSet } : {}),
  };
}

const H = "import os\nH = os.environ.get('MC_HOST', '10.0.0.5')\n";

describe('string formatting: printf-style %', () => {
  it('formats tuples, single values and dicts with flags, width and precision like CPython', () => {
    check(
      [
        "A = '%s:%d' % ('h', 11211)",
        "B = '%(h)s:%(p)05d' % {'h': 'x', 'p': 42}",
        "C = '%r|%5s|%-5s|%.2s' % ('it', 'ab', 'ab', 'abc')",
        "D = '%x %X %#x %#o %+d % d %i' % (255, 255, 255, 8, 3, 3, -4)",
        "E = '%f %.2f %.0f %.0f %8.3f %-8.1f|' % (1, 3.14159, 2.5, 3.5, -2.0, 0.25)",
        "F = '%d%%' % 50",
        "G = '%s' % 1e16",
        "I = '%*d|%.*f' % (5, 42, 1, 0.25)",
        "J = '%d' % 3.9",
      ].join('\n'),
      {
        A: "'h:11211'",
        B: "'x:00042'",
        C: "''it'|   ab|ab   |ab'",
        D: "'ff FF 0xff 0o10 +3  3 -4'",
        E: "'1.000000 3.14 2 4   -2.000 0.2     |'",
        F: "'50%'",
        G: "'1e+16'",
        I: "'   42|0.2'",
        J: "'3'",
      },
    );
  });

  it('is Unknown, with a reason, where CPython raises or the case is not modelled', () => {
    check(
      [
        "A = '%s %s' % ('a',)",
        "B = '%s' % ('a', 'b')",
        "C = '%d' % 'x'",
        "D = '%e' % 1.5",
        "E = '%(a)s' % ('x',)",
        "F = '%s' % ([1],)",
        "G = 'abc %' % ()",
      ].join('\n'),
      {
        A: '<% formatting: not enough arguments>',
        B: '<% formatting: not all arguments converted>',
        C: '<% formatting: %d of a str>',
        D: '<% formatting: %e is not modelled>',
        E: '<% formatting: format requires a mapping>',
        F: '<% formatting: %s of a list>',
        G: '<% formatting: incomplete format>',
      },
    );
  });

  it("keeps the environment condition: known 'if MC_HOST is unset', like an f-string", () => {
    assert.deepEqual(fromEnv(`${H}A = '%s:%d' % (H, 11211)`, 'A'), {
      envVar: 'MC_HOST',
      default: "'10.0.0.5:11211'",
      whenSet: 'str',
    });
    assert.deepEqual(
      fromEnv(`${H}A = 'memcached://%(h)s' % {'h': H}`, 'A').default,
      "'memcached://10.0.0.5'",
    );
    assert.deepEqual(fromEnv(`${H}P = os.environ.get('MC_PORT', 11212)\nA = '%s:%s' % (H, P)`, 'A'), {
      envVar: 'MC_HOST, MC_PORT',
      default: "'10.0.0.5:11212'",
      whenSet: 'str',
    });
    // No default: the variable is named and nothing is guessed.
    assert.deepEqual(fromEnv("import os\nA = '%s:1' % os.environ['X']", 'A'), {
      envVar: 'X',
      whenSet: 'str',
    });
    // A part that is not an environment lookup makes the whole value unknown, without a default.
    assert.deepEqual(fromEnv(`${H}A = '%s:%s' % (H, f())`, 'A'), {});
  });
});

describe('string formatting: str.format', () => {
  it('fills automatic, explicit, named and indexed fields with format specs like CPython', () => {
    check(
      [
        "A = '{}:{}'.format('h', 11211)",
        "B = '{1}-{0}-{1}'.format('a', 'b')",
        "C = '{host}:{port:05d}'.format(host='x', port=42)",
        "D = '{0[1]}/{1[k]}'.format(['a', 'b'], {'k': 'v'})",
        "E = '{!r:>6}|{:^6}|{:*<4}|{:.3}'.format('a', 'ab', 'x', 'abcdef')",
        "F = '{:,} {:_x} {:#x} {:+} {:=+6} {:05}'.format(1234567, 123456, 255, 3, 3, -3)",
        "G = '{:.2f} {:.0f} {:%} {:.0%} {} {:10}|'.format(3.14159, 2.5, 0.5, 0.125, 1.5, 1.5)",
        "I = '{}}} {}'.format(True, None)",
      ].join('\n'),
      {
        A: "'h:11211'",
        B: "'b-a-b'",
        C: "'x:00042'",
        D: "'b/v'",
        E: "'   'a'|  ab  |x***|abc'",
        F: "'1,234,567 1_e240 0xff +3 +    3 -0003'",
        G: "'3.14 2 50.000000% 12% 1.5        1.5|'",
        I: "'True} None'",
      },
    );
  });

  it('is Unknown, with a reason, for attributes, nested fields, bad specs and missing arguments', () => {
    check(
      [
        "A = '{0.real}'.format(1)",
        "B = '{:{w}}'.format('a', w=3)",
        "C = '{:d}'.format('x')",
        "D = '{} {}'.format('a')",
        "E = '{} {0}'.format('a')",
        "F = '{:e}'.format(1.5)",
      ].join('\n'),
      {
        A: '<str.format(): attribute or unusual field name>',
        B: '<str.format(): single brace or nested field>',
        C: '<str.format(): spec not allowed for a str>',
        D: "<str.format(): no argument for field ''>",
        E: '<str.format(): mixed automatic and manual numbering>',
        F: "<str.format(): format spec 'e' is not modelled>",
      },
    );
  });

  it('keeps the environment condition of positional and named arguments', () => {
    assert.deepEqual(fromEnv(`${H}A = '{}:{}'.format(H, 11211)`, 'A'), {
      envVar: 'MC_HOST',
      default: "'10.0.0.5:11211'",
      whenSet: 'str',
    });
    assert.equal(fromEnv(`${H}A = '{h}:{p}'.format(h=H, p=1)`, 'A').default, "'10.0.0.5:1'");
  });
});

describe('string methods and conversions', () => {
  it('join, strip, lower, upper, replace, split, startswith, endswith on known strings', () => {
    check(
      [
        "A = ':'.join(['h', '11211'])",
        "B = ','.join(('a', 'b', 'c'))",
        "C = '-'.join('ab')",
        "D = '  Mc \\t'.strip().lower() + 'X'.upper()",
        "E = 'xxhixx'.strip('x') + '|' + 'ab'.lstrip('a') + '|' + 'ab '.rstrip()",
        "F = 'a.b.c'.replace('.', ':', 1)",
        "G = 'a,b,,c'.split(',')",
        "I = 'a b  c'.split()",
        "J = 'a:b:c'.rsplit(':', 1)",
        "K = 'redis://x'.startswith(('rediss://', 'redis://'))",
        "L = 'x.sock'.endswith('.sock')",
        "M = 'unix:/run/m'.removeprefix('unix:')",
        "N = ':'.join(['h', 1])",
      ].join('\n'),
      {
        A: "'h:11211'",
        B: "'a,b,c'",
        C: "'a-b'",
        D: "'mcX'",
        E: "'hi|b|ab'",
        F: "'a:b.c'",
        G: "['a', 'b', '', 'c']",
        I: "['a', 'b', 'c']",
        J: "['a:b', 'c']",
        K: 'True',
        L: 'True',
        M: "'/run/m'",
        N: '<str.join() of items not all known strings>',
      },
    );
  });

  it('str() and int() of known values, and of environment lookups with their defaults', () => {
    check("A = str(11211)\nB = int('11211')\nC = str(1.0)\nD = int(' 7 ')", {
      A: "'11211'",
      B: '11211',
      C: "'1.0'",
      D: '7',
    });
    assert.deepEqual(fromEnv("import os\nA = int(os.environ.get('P', '11211'))", 'A'), {
      envVar: 'P',
      default: '11211',
      whenSet: 'int',
    });
  });

  it('methods on an environment lookup and joins of one keep its variable and default', () => {
    assert.deepEqual(fromEnv(`${H}A = ':'.join([H, '11211'])`, 'A'), {
      envVar: 'MC_HOST',
      default: "'10.0.0.5:11211'",
      whenSet: 'str',
    });
    assert.deepEqual(fromEnv(`${H}A = H.replace('10.', '192.')`, 'A').default, "'192.0.0.5'");
    assert.deepEqual(fromEnv(`${H}A = H.startswith('10.')`, 'A'), {
      envVar: 'MC_HOST',
      default: 'True',
      whenSet: 'bool',
    });
    assert.deepEqual(fromEnv(`${H}A = H.split('.')`, 'A').whenSet, 'list');
  });
});
