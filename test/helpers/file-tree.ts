/** Writes a tree of files for a test: relative path -> content, or `{ link: target }` for a symbolic link. */
import * as fs from 'node:fs';
import * as path from 'node:path';

export type FileTree = Record<string, string | { link: string }>;

/** Creates the files and symbolic links of `entries` under `root`, with their parent directories. */
export function writeTree(root: string, entries: FileTree): void {
  for (const [relative, content] of Object.entries(entries)) {
    const abs = path.join(root, relative);
    fs.mkdirSync(path.dirname(abs), { recursive: true });
    if (typeof content === 'string') fs.writeFileSync(abs, content);
    else fs.symlinkSync(content.link, abs);
  }
}
