// Serving the built SPA: a small, traversal-safe file reader (no framework static middleware).

import { constants } from 'node:fs';
import { open, realpath, stat } from 'node:fs/promises';
import { extname, join, sep } from 'node:path';

/** Content types by extension; anything else is `application/octet-stream`. */
export const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.webmanifest': 'application/manifest+json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.avif': 'image/avif',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.ttf': 'font/ttf',
  '.otf': 'font/otf',
  '.wasm': 'application/wasm',
};

export function contentTypeOf(path: string): string {
  return CONTENT_TYPES[extname(path).toLowerCase()] ?? 'application/octet-stream';
}

/** Largest file served; the SPA's biggest chunk is a few hundred KiB. */
const MAX_FILE_BYTES = 32 * 1024 * 1024;

/** O_NOFOLLOW and O_NONBLOCK where the platform has them (a FIFO must not block the open). */
const OPEN_FLAGS = constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0) | (constants.O_NONBLOCK ?? 0);

/**
 * Splits a raw (still percent-encoded) URL path below the mount into file name segments,
 * decoding each exactly once. Undefined for anything that is not a plain relative file path:
 * empty segments (`//`, a trailing `/`), `.` and `..` (encoded or not), dot files, encoded
 * slashes or backslashes, NUL, `:` (drive letters), or bad percent-encoding.
 */
export function safeSegments(rawPath: string): string[] | undefined {
  if (rawPath === '') return undefined;
  const segments: string[] = [];
  for (const raw of rawPath.split('/')) {
    let segment: string;
    try {
      segment = decodeURIComponent(raw);
    } catch {
      return undefined;
    }
    if (segment === '' || segment.startsWith('.')) return undefined;
    if (/[/\\:\0]/.test(segment)) return undefined;
    segments.push(segment);
  }
  return segments;
}

export interface StaticFile {
  data: Uint8Array;
  size: number;
  mtimeMs: number;
}

/**
 * Reads `segments` below `root` when it resolves (symlinks followed) to a regular file that
 * stays inside the real `root`. Undefined otherwise: missing, a directory, a link out of the
 * root, too large, unreadable.
 */
export async function readInside(root: string, segments: readonly string[]): Promise<StaticFile | undefined> {
  try {
    const realRoot = await realpath(root);
    const real = await realpath(join(realRoot, ...segments));
    if (!real.startsWith(realRoot.endsWith(sep) ? realRoot : realRoot + sep)) return undefined;
    const info = await stat(real);
    if (!info.isFile() || info.size > MAX_FILE_BYTES) return undefined;
    const handle = await open(real, OPEN_FLAGS);
    try {
      const opened = await handle.stat();
      if (!opened.isFile() || opened.size > MAX_FILE_BYTES) return undefined;
      const data = await handle.readFile();
      return { data, size: data.byteLength, mtimeMs: opened.mtimeMs };
    } finally {
      await handle.close();
    }
  } catch {
    return undefined;
  }
}

/** A weak validator from size and modification time. */
export function etagOf(file: StaticFile): string {
  return `W/"${file.size.toString(16)}-${Math.trunc(file.mtimeMs).toString(16)}"`;
}
