import { join } from 'node:path';
import { EmbeddedEngine, type EmbeddedEngineOptions } from './embedded';
import type { ClickHouseEngine } from './engine';
import { HttpEngine, type HttpEngineOptions } from './http';

/** Where `clickhouseDsn: 'embedded'` keeps its data, relative to the working directory. */
export const DEFAULT_EMBEDDED_PATH = join('.argus', 'clickhouse');

export interface CreateEngineOptions {
  http?: Omit<HttpEngineOptions, 'url'>;
  embedded?: Omit<EmbeddedEngineOptions, 'path'>;
}

/**
 * Picks the engine from the DSN: an `http(s)://` URL is a server ({@link HttpEngine}); `embedded`,
 * `embedded:<path>` or a filesystem path runs ClickHouse in-process on chdb ({@link EmbeddedEngine}).
 */
export async function createEngine(
  dsn: string,
  options: CreateEngineOptions = {},
): Promise<ClickHouseEngine> {
  const value = dsn.trim();
  if (value === '')
    throw new TypeError('clickhouseDsn is empty: give an http(s):// URL, "embedded" or a path');
  if (/^https?:\/\//i.test(value)) return new HttpEngine({ ...options.http, url: value });
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(value))
    throw new TypeError(
      `clickhouseDsn "${value.replace(/\/\/[^@/]*@/, '//***@')}" has an unsupported scheme: use http(s)://, "embedded" or a path`,
    );
  let path = value;
  if (value === 'embedded') path = DEFAULT_EMBEDDED_PATH;
  else if (value.startsWith('embedded:')) path = value.slice('embedded:'.length) || DEFAULT_EMBEDDED_PATH;
  return EmbeddedEngine.open({ ...options.embedded, path });
}
