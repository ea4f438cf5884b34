/** Jinja and ERB templates of settings files: which files are templates, and their tags masked for the parser. */
import type { Tree } from '@lezer/common';

/** Character used to mask template expressions; any value containing it is Unknown (DSL002). */
export const TEMPLATE_MASK = '\u01c2';

const TEMPLATE_EXTENSIONS = /\.(j2|jinja2?|erb)$/i;
// Jinja `{{ }}`/`{% %}`/`{# #}` and ERB `<%= %>`/`<% %>`/`<%# %>`; non-greedy, may span lines.
const TEMPLATE_TAG = /\{\{[\s\S]*?\}\}|\{%[\s\S]*?%\}|\{#[\s\S]*?#\}|<%[\s\S]*?%>/g;

export function isTemplatePath(file: string): boolean {
  return TEMPLATE_EXTENSIONS.test(file);
}

/**
 * Replaces template tags with text of the same length so spans stay valid: expression tags become a run of
 * TEMPLATE_MASK (an identifier character, also recognisable inside string literals); statement and comment
 * tags become spaces (newlines kept), so the Python around them still parses.
 */
export function maskTemplates(text: string): { masked: string; found: boolean } {
  let found = false;
  const masked = text.replace(TEMPLATE_TAG, (tag) => {
    found = true;
    const isExpression = tag.startsWith('{{') || tag.startsWith('<%=');
    if (isExpression && !tag.includes('\n')) return TEMPLATE_MASK.repeat(tag.length);
    return tag.replace(/[^\n]/g, ' ');
  });
  return { masked, found };
}

/** Whether a plain string literal (not an f-string) of `tree` holds a template tag. */
export function hasTaggedString(tree: Tree, text: string): boolean {
  let found = false;
  tree.iterate({
    enter(node) {
      if (found) return false;
      if (node.name === 'String') {
        TEMPLATE_TAG.lastIndex = 0;
        found = TEMPLATE_TAG.test(text.slice(node.from, node.to));
        TEMPLATE_TAG.lastIndex = 0;
        return false;
      }
      if (node.name === 'FormatString') return false;
      return undefined;
    },
  });
  return found;
}
