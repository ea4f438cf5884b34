/** Static evaluation of the constructs real settings files use: one case per construct, exact values. */
import assert from 'node:assert/strict';
import { evaluateText, show, valueOf } from '../helpers/evaluate-text';

function check(src: string, expected: Record<string, string>, modules: Record<string, string> = {}): void {
  const ev = evaluateText(src, modules);
  for (const [name, want] of Object.entries(expected))
    assert.equal(show(ev, name), want, `${name} in:\n${src}`);
}

describe('evaluate: literals and strings', () => {
  it('evaluates scalars, containers and nested dicts', () => {
    check(
      "A = 1\nB = 2.5\nC = True\nD = None\nE = [1, 'x']\nF = (1,)\nG = {'a': {'b': -3}}\nH = 0x1F + 1_000",
      {
        A: '1',
        B: '2.5',
        C: 'True',
        D: 'None',
        E: "[1, 'x']",
        F: '(1,)',
        G: "{'a': {'b': -3}}",
        H: '1031',
      },
    );
  });
  it('merges equal keys in a dict literal longer than the scanned ones (before and after its key Map is made)', () => {
    check(
      "D = {0: 'a', 1: 'b', 2: 'c', 3: 'd', 4: 'e', 5: 'f', 6: 'g', True: 'h', 7: 'i', 0.0: 'j', 8: 'k', 'x': 1, 'x': 2, False: 'l'}",
      { D: "{0: 'l', 1: 'h', 2: 'c', 3: 'd', 4: 'e', 5: 'f', 6: 'g', 7: 'i', 8: 'k', 'x': 2}" },
    );
  });
  it('merges dict literal keys equal in Python, keeping the first key and the last value', () => {
    check(
      "D = {1: 'a', True: 'b', 1.0: 'c', 0: 'x', -0.0: 'y', False: 'z', None: 1, 'n1': 2, '1': 3, 'none': 4, None: 5}",
      { D: "{1: 'c', 0: 'z', None: 5, 'n1': 2, '1': 3, 'none': 4}" },
    );
  });
  it('joins implicit string concatenation and decodes escapes and prefixes', () => {
    check("A = 'redis://' \"h\" '\\x41'\nB = r'\\d'\nC = '''tri\nple'''", {
      A: "'redis://hA'",
      B: "'\\\\d'",
      C: "'tri\\nple'",
    });
  });
  it('keeps known parts of f-strings and resolves known fields', () => {
    check("H = 'mc'\nA = f'{H}:11211'\nB = f'x{{y}}'", { A: "'mc:11211'", B: "'x{y}'" });
    const ev = evaluateText("import os\nA = f\"redis://{os.environ.get('H', '127.0.0.1')}:6379/1\"");
    const a = valueOf(ev, 'A');
    assert.equal(a?.kind, 'unknown');
    if (a?.kind !== 'unknown') return;
    assert.deepEqual(a.parts, ['redis://', null, ':6379/1']);
    assert.equal(a.default?.kind === 'str' ? a.default.value : undefined, 'redis://127.0.0.1:6379/1');
    assert.equal(a.envVar, 'H');
  });
  it('formats with % and .format on known strings', () => {
    check(
      "A = '%s:%d' % ('h', 11211)\nB = '%(h)s' % {'h': 'x'}\nC = '{}-{n}'.format(1, n='z')\nD = '{0:>3}'.format(1)",
      {
        A: "'h:11211'",
        B: "'x'",
        C: "'1-z'",
        D: "'  1'",
      },
    );
  });
  it('adds strings and lists, multiplies, compares', () => {
    check(
      "A = 'a' + 'b'\nB = [1] + [2]\nC = (1,) + (2,)\nD = 'ab' * 2\nE = 1 == 1\nF = 'a' in ['a']\nG = 3 > 4",
      {
        A: "'ab'",
        B: '[1, 2]',
        C: '(1, 2)',
        D: "'abab'",
        E: 'True',
        F: 'True',
        G: 'False',
      },
    );
  });
});

describe('evaluate: names and builtins', () => {
  it('resolves names bound earlier and dict(...) with keywords and spreads', () => {
    check(
      "BASE = {'ENGINE': 'x'}\nA = dict(BASE, NAME='n')\nB = {**BASE, 'HOST': 'h'}\nC = dict(ENGINE='e', **{'PORT': 1})",
      {
        A: "{'ENGINE': 'x', 'NAME': 'n'}",
        B: "{'ENGINE': 'x', 'HOST': 'h'}",
        C: "{'ENGINE': 'e', 'PORT': 1}",
      },
    );
  });
  it('marks a spread of an unknown dict as open', () => {
    const ev = evaluateText("A = {**unknown_thing, 'k': 1}");
    const a = valueOf(ev, 'A');
    assert.equal(a?.kind === 'dict' && a.open, true);
  });
  it('opens the lists and dicts a call it cannot see is passed by name, and only those', () => {
    const ev = evaluateText(
      "import x\nL = ['a']\nD = {'k': 1}\nM = ['m']\nN = ['n']\nK = ['k']\nP = ['p']\nx.update_dashboards(L, d=D)\nx.f(['lit'], M[0])\nx.g()\nx.h(int(x.i(K)))\nx.j(P, x.k('s'))",
    );
    const open = (name: string): unknown => {
      const v = valueOf(ev, name);
      return v?.kind === 'list' || v?.kind === 'dict' ? v.open === true : v?.kind;
    };
    assert.deepEqual(
      ['L', 'D', 'M', 'N', 'K', 'P'].map((n) => open(n)),
      [true, true, false, false, true, true],
    );
  });
  it('joins known os.path.join parts', () => {
    check("import os\nA = os.path.join('/var', 'lib', 'x')\nB = os.path.join('/a', '/b')", {
      A: "'/var/lib/x'",
      B: "'/b'",
    });
  });
});

describe('evaluate: mutation', () => {
  it('assigns subscripts at any depth', () => {
    check(
      "C = {'default': {'BACKEND': 'a'}}\nC['default']['LOCATION'] = 'l'\nC['other'] = {}\nC['other']['X'] = 1",
      {
        C: "{'default': {'BACKEND': 'a', 'LOCATION': 'l'}, 'other': {'X': 1}}",
      },
    );
  });
  it('applies .update(), .setdefault(), del and augmented assignment', () => {
    check(
      "C = {'a': 1}\nC.update({'b': 2}, c=3)\nC.setdefault('a', 9)\nC.setdefault('d', 4)\ndel C['b']\nN = 1\nN += 2\nL = ['x']\nL += ['y']\nL.append('z')\nC['a'] += 10\nD = 1\ndel D",
      { C: "{'a': 11, 'c': 3, 'd': 4}", N: '3', L: "['x', 'y', 'z']", D: '<unset>' },
    );
  });
  it('unpacks tuples and chains assignments', () => {
    check('a, b = 1, 2\nc = d = 3', { a: '1', b: '2', c: '3', d: '3' });
  });
});

describe('evaluate: environment lookups', () => {
  const cases: [string, string, string | undefined][] = [
    ["import os\nA = os.environ.get('X', 'd')", 'X', "'d'"],
    ["import os\nA = os.getenv('X', 'd')", 'X', "'d'"],
    ["import os\nA = os.environ['X']", 'X', undefined],
    ["from os import environ\nA = environ.get('X', 'd')", 'X', "'d'"],
    ["import environ\nenv = environ.Env()\nA = env('X', default='d')", 'X', "'d'"],
    ["import environ\nenv = environ.Env()\nA = env.str('X', default='d')", 'X', "'d'"],
    ["from environ import Env\nenv = Env()\nA = env.int('X', 5)", 'X', '5'],
    ["from decouple import config\nA = config('X', default='d')", 'X', "'d'"],
    ["import os\nA = int(os.environ.get('X', '300'))", 'X', '300'],
  ];
  for (const [src, envVar, dflt] of cases) {
    it(`${src.split('\n').pop()} is Unknown carrying ${dflt ?? 'no default'}`, () => {
      const a = valueOf(evaluateText(src), 'A');
      assert.equal(a?.kind, 'unknown');
      if (a?.kind !== 'unknown') return;
      assert.equal(a.envVar, envVar);
      assert.equal(
        a.default
          ? show(
              {
                env: new Map([['v', { value: a.default, origin: { kind: 'default', by: 'django' } }]]),
              } as never,
              'v',
            )
          : undefined,
        dflt,
      );
    });
  }
});

describe('evaluate: control flow', () => {
  it('takes only the statically known branch', () => {
    check("DEBUG = False\nif DEBUG:\n    E = 'dev'\nelif 1 == 1:\n    E = 'prod'\nelse:\n    E = 'x'", {
      E: "'prod'",
    });
  });
  it('makes a value one-of the branches when the condition is unknown', () => {
    check("import os\nif os.environ.get('X'):\n    E = 1\nelse:\n    E = 2", { E: '1 | 2' });
    check("import os\nif os.environ.get('X'):\n    F = 1", { F: '1 | <not set on every path>' });
  });
  it('treats try/except ImportError as both paths only when an import may fail', () => {
    check("try:\n    import memcache\n    K = 'mc'\nexcept ImportError:\n    K = 'loc'", {
      K: "'mc' | 'loc'",
    });
    check("try:\n    import os\n    K = 'os'\nexcept ImportError:\n    K = 'no'\nelse:\n    L = 1", {
      K: "'os'",
      L: '1',
    });
  });
  it('runs with bodies and marks loop changes unknown', () => {
    check("with open('f') as fh:\n    A = 1\nB = 1\nfor x in range(3):\n    B = x", {
      A: '1',
      B: '<changed in a loop>',
    });
  });
  it('evaluates conditional expressions and boolean operators', () => {
    check("A = 'a' if True else 'b'\nB = None or 'd'\nC = '' and 'x'", { A: "'a'", B: "'d'", C: "''" });
  });
});

describe('evaluate: imports', () => {
  it('follows star imports of modules in the same tree', () => {
    check(
      "from .base import *\nCACHES['default']['LOCATION'] = 'l'",
      { CACHES: "{'default': {'BACKEND': 'b', 'LOCATION': 'l'}}", _private: '<unset>' },
      {
        '.base': "CACHES = {'default': {'BACKEND': 'b'}}\n_private = 1",
      },
    );
  });
  it('honours __all__', () => {
    check(
      'from pkg.settings import *',
      { A: '1', B: '<unset>' },
      { 'pkg.settings': "__all__ = ['A']\nA = 1\nB = 2" },
    );
  });
  it('records unresolved star imports and makes undefined names unknown with that reason', () => {
    const ev = evaluateText('from somewhere_else import *\nX = Y');
    assert.equal(ev.unresolvedStarImports.length, 1);
    assert.equal(show(ev, 'X'), "<'Y' may come from somewhere_else>");
  });
});

describe('evaluate: anything else is Unknown, never an error', () => {
  it('gives Unknown for calls, comprehensions, lambdas, attributes', () => {
    check('A = f(1)\nB = [x for x in y]\nC = lambda: 1\nD = obj.attr\nE = {1, 2}', {
      A: '<call to f()>',
      B: '<comprehension>',
      C: '<lambda>',
      D: '<attribute attr>',
      E: '<set>',
    });
  });
  it('bounds nesting depth and reports the limit', () => {
    const deep = 'A = ' + '['.repeat(300) + ']'.repeat(300);
    const ev = evaluateText(deep);
    assert.match(ev.limit?.reason ?? '', /nested deeper/);
  });
});
