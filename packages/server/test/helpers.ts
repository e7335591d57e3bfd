import type { Logger } from '@argus/core';

export interface LogRecord {
  level: 'debug' | 'info' | 'warn' | 'error';
  message: string;
  fields?: Record<string, unknown>;
}

/** A logger that keeps every record, and the whole text of them for "never logged" checks. */
export function captureLogger(): Logger & { records: LogRecord[]; text(): string } {
  const records: LogRecord[] = [];
  const at =
    (level: LogRecord['level']) =>
    (message: string, fields?: Record<string, unknown>): void => {
      records.push({ level, message, ...(fields ? { fields } : {}) });
    };
  return {
    records,
    text: () => JSON.stringify(records),
    debug: at('debug'),
    info: at('info'),
    warn: at('warn'),
    error: at('error'),
  };
}

export const EXPECTED_CSP =
  "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; script-src 'self'; " +
  "connect-src 'self'; font-src 'self'; object-src 'none'; frame-ancestors 'none'; base-uri 'none'; " +
  "form-action 'self'; frame-src 'self'";

/** The hardening every response must carry. Returns the problems, empty when all is well. */
export function hardeningProblems(headers: Headers, csp = EXPECTED_CSP): string[] {
  const expected: Record<string, string> = {
    server: 'argus',
    'x-content-type-options': 'nosniff',
    'x-frame-options': 'DENY',
    'referrer-policy': 'no-referrer',
    'content-security-policy': csp,
  };
  const problems: string[] = [];
  for (const [name, value] of Object.entries(expected)) {
    if (headers.get(name) !== value) problems.push(`${name}: ${headers.get(name)}`);
  }
  if (headers.has('x-powered-by')) problems.push('x-powered-by present');
  if (headers.has('strict-transport-security')) problems.push('hsts present');
  return problems;
}
