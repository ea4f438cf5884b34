/**
 * Reads a settings file for analysis without ever blocking or exhausting memory: only regular files (a FIFO
 * would block a plain read forever, `/dev/zero` never ends), at most MAX_SOURCE_BYTES (the parser analyses
 * 2,000,000 characters; DSL003 says when a file was cut), decoded the way CPython reads source.
 */
import * as fs from 'node:fs';
import { MAX_FILE_CHARS } from '../core/python/parse';
import { decodeSource } from '../core/python/source-checks';
import { describeFsError, fileKind, notRegularFile } from './file-errors';

/** UTF-8 needs at most 4 bytes a character: this many bytes always hold MAX_FILE_CHARS characters and more. */
export const MAX_SOURCE_BYTES = 4 * MAX_FILE_CHARS + 4;

export type SourceRead = { readonly text: string } | { readonly error: string };

export function readSourceFile(file: string): SourceRead {
  let fd: number;
  try {
    // O_NONBLOCK: opening a FIFO without a writer must not wait for one.
    fd = fs.openSync(file, fs.constants.O_RDONLY | (fs.constants.O_NONBLOCK ?? 0));
  } catch (e) {
    return { error: describeFsError(e) };
  }
  try {
    const stat = fs.fstatSync(fd);
    if (!stat.isFile()) return { error: notRegularFile(fileKind(stat)) };
    const size = Math.min(stat.size, MAX_SOURCE_BYTES);
    const buf = Buffer.alloc(size);
    let got = 0;
    while (got < size) {
      const n = fs.readSync(fd, buf, got, size - got, got);
      if (n === 0) break;
      got += n;
    }
    return { text: decodeSource(buf.subarray(0, got)) };
  } catch (e) {
    return { error: describeFsError(e) };
  } finally {
    fs.closeSync(fd);
  }
}
