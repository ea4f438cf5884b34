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

  it('formats %e %E %g %G %c like CPython (exact half-to-even rounding, exponent of at least two digits)', () => {
    check(
      [
        "A = '%e|%E|%.2e|%#.0e|%10.3e|' % (1.5, 1e-10, 123456.0, 3, -2.5)",
        "B = '%g|%G|%.3g|%#g|%-+10.2g|%g|%g' % (1e16, 1e-5, 0.0001234, 0.0, 31415.9, 100000, 1e6)",
        "C = '%c%c|%3c|%-3c|' % (65, 'z', 'x', 66)",
        "D = '%.0e %.1e %.2g' % (2.5, 0.25, 0.125)",
      ].join('\n'),
      {
        A: "'1.500000e+00|1.000000E-10|1.23e+05|3.e+00|-2.500e+00|'",
        B: "'1e+16|1E-05|0.000123|0.00000|+3.1e+04  |100000|1e+06'",
        C: "'Az|  x|B  |'",
        D: "'2e+00 2.5e-01 0.12'",
      },
    );
  });

  it('is Unknown, with a reason, where CPython raises or the case is not modelled', () => {
    check(
      [
        "A = '%s %s' % ('a',)",
        "B = '%s' % ('a', 'b')",
        "C = '%d' % 'x'",
        "D = '%c' % 'ab'",
        "E = '%(a)s' % ('x',)",
        "F = '%s' % ([1],)",
        "G = 'abc %' % ()",
      ].join('\n'),
      {
        A: '<% formatting: not enough arguments>',
        B: '<% formatting: not all arguments converted>',
        C: '<% formatting: %d of a str>',
        D: '<% formatting: %c of this str>',
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

  it('formats e E g G c, no type with a precision, float grouping and nested fields like CPython', () => {
    check(
      [
        "A = '{:e} {:.2E} {:g} {:.3} {:.3} {:.3} {:,.2f} {:,} {:_.1e}'.format(1.5, 12345.678, 1e-5, 123.0, 12.0, 0.0, 1234.5, 1234.5, 1234.5)",
        "B = '{:c}|{:>5c}|{:^5c}|{:>4}'.format(65, 66, 67, True)",
        "C = '{:{}}|{:{w}.{p}f}|{:{fill}>{w}}'.format('a', 4, 3.14159, 'z', w=8, p=2, fill='*')",
        "D = '{0:{1}}|{0:>{2}}'.format('ab', 5, 4)",
      ].join('\n'),
      {
        A: "'1.500000e+00 1.23E+04 1e-05 1.23e+02 12.0 0.0 1,234.50 1,234.5 1.2e+03'",
        B: "'A|    B|  C  |   1'",
        C: "'a   |    3.14|*******z'",
        D: "'ab   |  ab'",
      },
    );
  });

  it('is Unknown, with a reason, for attributes, deep nesting, bad specs and missing arguments', () => {
    check(
      [
        "A = '{0.real}'.format(1)",
        "B = '{:{:{}}}'.format(1, 2, 3)",
        "C = '{:d}'.format('x')",
        "D = '{} {}'.format('a')",
        "E = '{} {0}'.format('a')",
        "F = '{:n}'.format(1.5)",
        "G = '{:+c}'.format(65)",
        "H = '{:.2}'.format(3)",
      ].join('\n'),
      {
        A: '<str.format(): attribute or unusual field name>',
        B: '<str.format(): fields nested more than one level>',
        C: '<str.format(): spec not allowed for a str>',
        D: "<str.format(): no argument for field ''>",
        E: '<str.format(): mixed automatic and manual numbering>',
        F: "<str.format(): format spec 'n' is not modelled>",
        G: "<str.format(): sign, '#' or grouping with 'c'>",
        H: "<str.format(): 'd' or precision on an int>",
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

describe('string formatting: f-strings', () => {
  it('applies conversions, format specs, nested fields and = like CPython', () => {
    check(
      [
        'port = 11211',
        'w = 8',
        "x = 'ab'",
        "A = f'{port:05d}|{x!r}|{x:>10}|{x:{w}}|{port=}|{ x = }|{port = :x}|{3.5:.{w}e}'",
        "B = f'{port:,}|{2.5:.0f}|{0.125:.2g}|{x!s:*^6}|{65:c}|{x=!s:>4}'",
      ].join('\n'),
      {
        A: "'11211|'ab'|        ab|ab      |port=11211| x = 'ab'|port = 2bcb|3.50000000e+00'",
        B: "'11,211|2|0.12|**ab**|A|x=  ab'",
      },
    );
  });

  it('is Unknown where CPython raises, and keeps the environment condition of a field', () => {
    check("x = 'ab'\nA = f'{x:d}'\nB = f'{x:{w}}'", {
      A: '<f-string field: spec not allowed for a str>',
      B: "<'w' is not defined here>",
    });
    assert.deepEqual(
      fromEnv("import os\nP = int(os.environ.get('PORT', 11211))\nA = f'{P:05d}|{P!r:>7}'", 'A'),
      {
        envVar: 'PORT',
        default: "'11211|  11211'",
      },
    );
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
