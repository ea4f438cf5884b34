/** File access for the language server: open documents override the disk; disk texts are cached and revalidated by size and mtime, read as the CLI reads them (node/read-source.ts: same limit, same wording of what cannot be read). Reads only, never writes, never throws. */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { describeFsError, NO_SUCH_FILE } from '../node/file-errors';
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

interface DiskEntry {
  readonly mtimeMs: number;
  readonly size: number;
  readonly text: string | undefined;
  /** Why the file could not be read (node/file-errors.ts wording), when it could not. */
  readonly error?: string | undefined;
}

/** Texts by path: the open document's when there is one (by the URI the client used), else the disk's. */
export class FileStore {
  private readonly open = new Map<string, TextDocument>();
  private readonly disk = new Map<string, DiskEntry>();
  /** Why a file that exists could not be stat'ed (a missing file is not a problem: imports probe paths). */
  private readonly statErrors = new Map<string, string>();

  setOpen(file: string, doc: TextDocument): void {
    this.open.set(file, doc);
  }

  closeOpen(file: string): void {
    this.open.delete(file);
    this.forget(file);
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

  /** Disk texts held (tested to stay bounded). */
  get diskTexts(): number {
    return this.disk.size;
  }

  /** Drops the cached disk text (a watched-file event, a save or a close said it changed). */
  forget(file: string): void {
    this.disk.delete(file);
    this.statErrors.delete(file);
  }

  /**
   * Why the last read of `file` from disk found nothing, in the CLI's words (`permission denied`, `a FIFO (named
   * pipe), not a regular file`); undefined when it was read, is open, is missing or was not read yet.
   */
  problemOf(file: string): string | undefined {
    if (this.open.has(file)) return undefined;
    return this.statErrors.get(file) ?? this.disk.get(file)?.error;
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
    } catch (e) {
      this.disk.delete(file);
      const why = describeFsError(e);
      if (why === NO_SUCH_FILE) this.statErrors.delete(file);
      else this.statErrors.set(file, why);
      return undefined;
    }
    this.statErrors.delete(file);
    const hit = this.disk.get(file);
    // Revalidated on every read: without file watching (some clients cannot register it) edits still show up.
    if (hit && hit.mtimeMs === stat.mtimeMs && hit.size === stat.size) return hit.text;
    // The CLI's reader: regular files only (a FIFO is opened without blocking and refused), at most
    // MAX_SOURCE_BYTES (the parser analyses the first 2,000,000 characters and DSL003 says the file was cut).
    let read: ReturnType<typeof readSourceFile>;
    try {
      read = readSourceFile(file);
    } catch (e) {
      read = { error: describeFsError(e) };
    }
    const entry: DiskEntry =
      'text' in read
        ? { mtimeMs: stat.mtimeMs, size: stat.size, text: read.text }
        : { mtimeMs: stat.mtimeMs, size: stat.size, text: undefined, error: read.error };
    this.disk.set(file, entry);
    return entry.text;
  }
}
