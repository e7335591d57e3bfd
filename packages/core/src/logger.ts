import type { Logger } from './types';

export type LogFormat = 'text' | 'json';

/**
 * The logger Argus uses when the bot gives none: one line per record on stderr, never the
 * root of anything the bot configured. Fields must never carry tokens; callers redact.
 */
export function createLogger(
  format: LogFormat = 'text',
  write: (line: string) => void = writeStderr,
): Logger {
  const emit = (level: string, message: string, fields?: Record<string, unknown>) => {
    if (format === 'json') {
      write(JSON.stringify({ time: new Date().toISOString(), level, logger: 'argus', message, ...fields }));
      return;
    }
    const extra = fields && Object.keys(fields).length > 0 ? ` ${JSON.stringify(fields)}` : '';
    write(`[argus] ${level}: ${message}${extra}`);
  };
  return {
    debug: (m, f) => emit('debug', m, f),
    info: (m, f) => emit('info', m, f),
    warn: (m, f) => emit('warn', m, f),
    error: (m, f) => emit('error', m, f),
  };
}

function writeStderr(line: string): void {
  process.stderr.write(`${line}\n`);
}

/** A logger that drops everything, for tests and for bots that want silence. */
export const silentLogger: Logger = Object.freeze({
  debug() {},
  info() {},
  warn() {},
  error() {},
});
