/** Shared data types of the pure core: spans, values, findings, fixes. No I/O, no vscode, no LSP. */

/** A range of UTF-16 code units in one file's text (`from` inclusive, `to` exclusive). */
export interface Span {
  readonly file: string;
  readonly from: number;
  readonly to: number;
}

/** Where an effective value came from: a file location, or a framework default. */
export type Origin =
  | { readonly kind: 'file'; readonly span: Span }
  | { readonly kind: 'default'; readonly by: 'django' | 'horizon' };

interface ValueBase {
  /** Source span of the expression that produced the value; undefined for built-in defaults. */
  readonly span?: Span | undefined;
}

export interface StrValue extends ValueBase {
  readonly kind: 'str';
  readonly value: string;
}
export interface NumValue extends ValueBase {
  readonly kind: 'int' | 'float';
  readonly value: number;
}
export interface BoolValue extends ValueBase {
  readonly kind: 'bool';
  readonly value: boolean;
}
export interface NoneValue extends ValueBase {
  readonly kind: 'none';
}
export interface SeqValue extends ValueBase {
  readonly kind: 'list' | 'tuple';
  readonly items: readonly Value[];
  /** True when the sequence may hold further items the analyser cannot see (`*unknown`, `+ unknown`). */
  readonly open?: boolean;
}
export interface DictEntry {
  readonly key: Value;
  readonly value: Value;
  /** Span of the key expression (or of the subscript key in `D['k'] = v`). */
  readonly keySpan?: Span | undefined;
}
export interface DictValue extends ValueBase {
  readonly kind: 'dict';
  readonly entries: readonly DictEntry[];
  /** True when the dict may hold keys the analyser cannot see (`**unknown`, an unknown key, `.update(unknown)`). */
  readonly open?: boolean;
}
/** A value the analyser cannot know statically. Never wrong, never reported on. */
export interface UnknownValue extends ValueBase {
  readonly kind: 'unknown';
  /** Human-readable reason: "environment variable X", "call to f()", "unresolved import". */
  readonly reason: string;
  /** For environment lookups: the variable name. */
  readonly envVar?: string | undefined;
  /** For lookups with a visible default (`os.environ.get('X', d)`): the default value. */
  readonly default?: Value | undefined;
  /** For f-strings and `+` on strings: the known literal parts in order, `null` for unknown parts. */
  readonly parts?: readonly (string | null)[] | undefined;
  /** For modules and objects the evaluator recognises by name (`os.environ`, `environ.Env()`): the dotted name. */
  readonly module?: string | undefined;
  /**
   * For environment lookups: the Python type of the value whenever the variable is set (`'str'` for a raw
   * `os.environ.get`, `'int'` for `int(...)`/`env.int()`/`config(cast=int)`); undefined when not known.
   */
  readonly whenSet?: 'str' | 'int' | 'float' | 'bool' | 'list' | 'dict' | undefined;
  /**
   * For a value decided by a file's existence rather than an environment variable (`if os.path.exists(…)`,
   * `try: from .local import * except ImportError`): when `default` holds, as a phrase ("local.py is absent").
   */
  readonly defaultWhen?: string | undefined;
  /** For values decided by a visible default: what the value may be otherwise (the other branch of an `if`). */
  readonly alternatives?: readonly Value[] | undefined;
  /**
   * For a cache BACKEND a URL helper chooses when the settings load (django-environ's `redis://`): the
   * library's rules, in order; resolved by the layers once the Django version and installed modules are known.
   */
  /** For a django-environ `Env(X=(cast, default))` object: its scheme, by variable. */
  readonly envSchema?:
    | Readonly<Record<string, { readonly cast?: string | undefined; readonly default?: Value | undefined }>>
    | undefined;
  readonly backendChoice?:
    | readonly {
        readonly backend: string;
        readonly djangoAtLeast?: string | undefined;
        readonly installed?: string | undefined;
        /** The installed library's version range (normalised distribution name, `[atLeast, below)`). */
        readonly library?:
          | {
              readonly name: string;
              readonly atLeast?: string | undefined;
              readonly below?: string | undefined;
            }
          | undefined;
      }[]
    | undefined;
}
/** A value that depends on a condition the analyser cannot decide: one of the options at run time. */
export interface OneOfValue extends ValueBase {
  readonly kind: 'oneOf';
  readonly options: readonly Value[];
  readonly condition: string;
}

export type Value =
  StrValue | NumValue | BoolValue | NoneValue | SeqValue | DictValue | UnknownValue | OneOfValue;

export type Severity = 'error' | 'warning' | 'information' | 'hint';
export type SeverityOrOff = Severity | 'off';
export type Profile = 'production' | 'development';
export type FixApplicability = 'safe' | 'unsafe';

export interface TextEdit {
  readonly file: string;
  readonly from: number;
  readonly to: number;
  readonly newText: string;
}

export interface Fix {
  readonly title: string;
  readonly applicability: FixApplicability;
  readonly edits: readonly TextEdit[];
}

export interface RelatedLocation {
  readonly span: Span;
  readonly message: string;
}

/** One diagnostic produced by a rule (or by parsing), before presentation. */
export interface Finding {
  readonly code: string;
  readonly name: string;
  readonly message: string;
  readonly severity: Severity;
  /** Primary location: the assignment that produced the offending value. */
  readonly span: Span;
  /** Settings the finding is about (used to mirror it into other layers' files in the editor). */
  readonly settings: readonly string[];
  readonly related: readonly RelatedLocation[];
  readonly fix?: Fix | undefined;
  /** Documentation link for the code. */
  readonly url?: string | undefined;
}
