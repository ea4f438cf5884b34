/** Places in a project for labels, messages and findings: a file relative to the project root, and where a finding about a default goes. Pure. */
import * as path from 'node:path';
import type { Span } from '../types';
import type { ProjectModel } from './project';

/** A file relative to the project root when it lies inside it (labels and messages stay short), else as given. */
export function projectPath(root: string, file: string): string {
  const rel = path.relative(root, file);
  return rel && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel : file;
}

/**
 * Where a finding about a value nobody wrote in the user's files goes: the first assignment of one of
 * `names` in the primary file (its whole statement, or only its target), else the top of the primary file
 * (Horizon's own settings.py is not the user's file); undefined without a primary file.
 */
export function primaryAnchor(
  model: ProjectModel,
  names: readonly string[],
  part: 'statement' | 'target',
): Span | undefined {
  const primary = model.primaryFile;
  if (!primary) return undefined;
  const ev = model.events.find((e) => e.span.file === primary && names.includes(e.name));
  if (ev) return part === 'statement' ? ev.span : ev.target;
  return { file: primary, from: 0, to: 0 };
}
