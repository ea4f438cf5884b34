/**
 * Conditional blocks of a settings template (kolla-ansible's `*.py.j2`, puppet's `*.py.erb`): Jinja
 * `{% if %}…{% elif %}…{% else %}…{% endif %}` and ERB `<% if %>…<% elsif %>…<% else %>…<% end %>`. The
 * parser masks the tags (so the Python between them parses); here their arms are found again in the original
 * text, so the evaluator can run them as alternatives — each arm one possibility — instead of in sequence.
 * Only the outermost blocks are returned (an inner block runs in sequence inside its arm). Pure, linear.
 */

export interface TemplateArm {
  /** The arm's text range (after its opening tag, before the next tag of the block). */
  readonly from: number;
  readonly to: number;
  /** The condition as written (`horizon_backend_database | bool`); undefined for `else`. */
  readonly condition: string | undefined;
}

export interface TemplateIf {
  /** From the `if` tag's start to the end of its closing tag. */
  readonly from: number;
  readonly to: number;
  readonly arms: readonly TemplateArm[];
}

const TAG = /\{%-?\s*([\s\S]*?)\s*-?%\}|<%-?(?![=#])\s*([\s\S]*?)\s*-?%>/g;
/** Blocks deeper than this are not tracked (a hostile file cannot make the stack grow without bound). */
const MAX_DEPTH = 200;

interface Open {
  readonly kind: 'if' | 'other';
  readonly start: number;
  arms: { from: number; to: number; condition: string | undefined }[];
}

export function templateIfs(text: string): TemplateIf[] {
  const out: TemplateIf[] = [];
  const stack: Open[] = [];
  TAG.lastIndex = 0;
  for (let m = TAG.exec(text); m; m = TAG.exec(text)) {
    const erb = m[2] !== undefined;
    const body = (m[1] ?? m[2] ?? '').trim();
    const word = /^\w+/.exec(body)?.[0] ?? '';
    const rest = body.slice(word.length).trim();
    const top = stack[stack.length - 1];
    const closeArm = (): void => {
      const last = top?.arms[top.arms.length - 1];
      if (last) last.to = m.index;
    };
    if (word === 'if') {
      if (stack.length >= MAX_DEPTH) return out;
      stack.push({ kind: 'if', start: m.index, arms: [{ from: TAG.lastIndex, to: -1, condition: rest }] });
    } else if ((!erb && word === 'elif') || (erb && word === 'elsif')) {
      if (top?.kind !== 'if') continue;
      closeArm();
      top.arms.push({ from: TAG.lastIndex, to: -1, condition: rest });
    } else if (word === 'else') {
      if (top?.kind !== 'if') continue; // a Jinja for's else, an ERB unless's else
      closeArm();
      top.arms.push({ from: TAG.lastIndex, to: -1, condition: undefined });
    } else if ((!erb && (word === 'endif' || word === 'endfor')) || (erb && word === 'end')) {
      const open = stack.pop();
      if (!open) continue;
      if (open.kind === 'if' && (erb || word === 'endif')) {
        const last = open.arms[open.arms.length - 1];
        if (last) last.to = m.index;
        if (stack.length === 0) out.push({ from: open.start, to: TAG.lastIndex, arms: open.arms });
      }
    } else if (
      (!erb && word === 'for') ||
      (erb && (word === 'unless' || word === 'case' || word === 'while' || /\bdo\s*(\|[^|]*\|)?$/.test(body)))
    ) {
      if (stack.length >= MAX_DEPTH) return out;
      stack.push({ kind: 'other', start: m.index, arms: [] });
    }
  }
  return out;
}
