/** File access for the language server: open documents override the disk; disk texts are cached and revalidated by size and mtime. Reads only, never writes, never throws. */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { readSourceFile } from '../node/read-source';

/** The file-system path of a `file:` URI, or undefined for other schemes (untitled, git, …). */
export function uriToPath(uri: string): string | undefined {
  if (!uri.startsWith('file:')) return undefined;
  try {
    return fileURLToPath(uri);
  } catch {
    return undefined;
  }
}

export function pathToUri(file: string): string {
  return pathToFileURL(file).href;
}

/** A short content hash, used to reject code-action data computed on another text. */
export function textHash(text: string): string {
  return createHash('sha1').update(text).digest('hex').slice(0, 16);
}

/** Python settings files can be large, but not this large: anything bigger is not read at all. */
const MAX_READ_BYTES = 16 * 1024 * 1024;

interface DiskEntry {
  readonly mtimeMs: number;
  readonly size: number;
  readonly text: string | undefined;
}

/** Texts by path: the open document's when there is one (by the URI the client used), else the disk's. */
export class FileStore {
  private readonly open = new Map<string, TextDocument>();
  private readonly disk = new Map<string, DiskEntry>();

  setOpen(file: string, doc: TextDocument): void {
    this.open.set(file, doc);
  }

  closeOpen(file: string): void {
    this.open.delete(file);
    this.disk.delete(file);
  }

  openDocument(file: string): TextDocument | undefined {
    return this.open.get(file);
  }

  openFiles(): string[] {
    return [...this.open.keys()];
  }

  /** The URI to use for a path: the client's own for open documents (its spelling may differ), else a file URI. */
  uriOf(file: string): string {
    return this.open.get(file)?.uri ?? pathToUri(file);
  }

  /** Drops the cached disk text (a watched-file event, a save or a close said it changed). */
  forget(file: string): void {
    this.disk.delete(file);
  }

  read(file: string): string | undefined {
    const doc = this.open.get(file);
    if (doc) return doc.getText();
    return this.readDisk(file);
  }

  private readDisk(file: string): string | undefined {
    let stat: fs.Stats;
    try {
      stat = fs.statSync(file);
    } catch {
      this.disk.delete(file);
      return undefined;
    }
    if (!stat.isFile()) return undefined;
    const hit = this.disk.get(file);
    // Revalidated on every read: without file watching (some clients cannot register it) edits still show up.
    if (hit && hit.mtimeMs === stat.mtimeMs && hit.size === stat.size) return hit.text;
    let text: string | undefined;
    try {
      const read = stat.size > MAX_READ_BYTES ? undefined : readSourceFile(file);
      text = read && 'text' in read ? read.text : undefined;
    } catch {
      text = undefined;
    }
    this.disk.set(file, { mtimeMs: stat.mtimeMs, size: stat.size, text });
    return text;
  }
}
