// Source and definition checks behind DESIGN.md's invariants. Each returns the violations it
// finds, so a test can assert both that the tree is clean and that a planted violation is caught.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { FORBIDDEN_LABELS } from '../src/label-rules';
import type { BackendMetricDef } from '../src/types';

export interface SourceFile {
  path: string;
  text: string;
}

export const repoRoot = join(import.meta.dirname, '../../..');

/** Every non-test TypeScript source under `dir`. */
export function readSources(dir: string): SourceFile[] {
  const out: SourceFile[] = [];
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const full = join(d, name);
      if (statSync(full).isDirectory()) {
        if (name !== 'node_modules' && name !== 'dist') walk(full);
      } else if (/\.tsx?$/.test(name) && !/\.test(-d)?\.tsx?$/.test(name)) {
        out.push({ path: relative(repoRoot, full), text: readFileSync(full, 'utf8') });
      }
    }
  };
  walk(dir);
  return out;
}

const stripComments = (text: string) => text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');

/** Invariant 1: runtime imports of a backend, a transport or discord.js. `import type` is fine. */
export const BACKEND_MODULES =
  /^(prom-client|@opentelemetry\/|@clickhouse\/|chdb|hono|@hono\/|discord\.js|@discordjs\/)/;

export function findBackendImports(files: SourceFile[]): string[] {
  const found: string[] = [];
  const patterns = [
    /^\s*import\s+(?!type\b)(?:[^'";]*?\s+from\s+)?['"]([^'"]+)['"]/gm,
    /^\s*export\s+(?!type\b)[^'";]*?\s+from\s+['"]([^'"]+)['"]/gm,
    /\brequire\(\s*['"]([^'"]+)['"]\s*\)/g,
    /\bimport\(\s*['"]([^'"]+)['"]\s*\)/g,
  ];
  for (const file of files) {
    const text = stripComments(file.text);
    for (const pattern of patterns) {
      for (const match of text.matchAll(pattern)) {
        const spec = match[1]!;
        // `import { type A, type B } from 'x'` is type-only too.
        const clause = match[0];
        const braces = /\{([^}]*)\}/.exec(clause)?.[1];
        const allTypes =
          braces !== undefined &&
          !/^\s*import\s+\w/.test(clause.replace(/^\s*import\s+\{/, 'import {')) &&
          braces
            .split(',')
            .map((s) => s.trim())
            .filter(Boolean)
            .every((s) => s.startsWith('type '));
        if (BACKEND_MODULES.test(spec) && !allTypes) found.push(`${file.path}: ${spec}`);
      }
    }
  }
  return found;
}

/** Invariant 2: a definition with a label that has unbounded cardinality. */
export function findForbiddenLabels(defs: readonly BackendMetricDef[]): string[] {
  return defs.flatMap((d) =>
    d.labelNames.filter((l) => FORBIDDEN_LABELS.includes(l.toLowerCase())).map((l) => `${d.name}{${l}}`),
  );
}

/** Invariant 2, on output: a forbidden label anywhere in an exposition or a JSON snapshot. */
export function findForbiddenLabelsInText(text: string): string[] {
  return FORBIDDEN_LABELS.filter((l) => new RegExp(`[{,"]\\s*${l}\\s*"?\\s*[=:]`).test(text));
}

/**
 * Invariant 4: gauges read live state at scrape time. `mutate` changes the state behind the
 * sources; every gauge whose samples do not change between two reads is reported.
 */
export function findCachedGauges(
  defs: readonly BackendMetricDef[],
  mutate: () => void,
  exempt: readonly string[] = [],
): string[] {
  const read = (d: Extract<BackendMetricDef, { kind: 'gauge' }>) => {
    const samples: string[] = [];
    d.read((v, l) => samples.push(`${l.join(',')}=${v}`));
    return samples.join(';');
  };
  const gauges = defs.filter((d): d is Extract<BackendMetricDef, { kind: 'gauge' }> => d.kind === 'gauge');
  const before = new Map(gauges.map((g) => [g.name, read(g)]));
  mutate();
  return gauges.filter((g) => !exempt.includes(g.name) && read(g) === before.get(g.name)).map((g) => g.name);
}

/** Invariant 5: hooks that throw into their caller instead of being swallowed. */
export function findThrowingHooks(hooks: Record<string, () => unknown>): string[] {
  const thrown: string[] = [];
  for (const [name, hook] of Object.entries(hooks)) {
    try {
      const result = hook();
      if (result instanceof Promise) result.catch(() => {});
    } catch {
      thrown.push(name);
    }
  }
  return thrown;
}

/** Invariant 6: reads of `process.env` outside the config module. */
export function findEnvReads(files: SourceFile[], allowed: readonly string[]): string[] {
  return files
    .filter((f) => !allowed.includes(f.path))
    .filter((f) => /\bprocess\s*(\.\s*env\b|\[\s*['"]env['"]\s*\])/.test(stripComments(f.text)))
    .map((f) => f.path);
}

/**
 * Invariant 4, for discord.js sources: a scrape-time reader must not walk a guild, member, user,
 * channel, emoji or sticker cache (O(n) per scrape). `body` is the source of the readers.
 */
export function findCacheIteration(body: string): string[] {
  const patterns = [
    /\.cache\s*\.\s*(values|keys|entries|filter|map|reduce|forEach|some|every|find|sort|sweep)\s*\(/g,
    /for\s*\([^)]*\bof\b[^)]*\.cache\b/g,
    /\[\s*\.\.\.[^\]]*\.cache\b/g,
    /client\s*\.\s*(emojis|stickers)\s*\.\s*cache/g,
  ];
  return patterns.flatMap((p) => [...stripComments(body).matchAll(p)].map((m) => m[0]));
}

/** The text of a method in a class source, from its name to its closing brace. */
export function methodSource(source: string, name: string): string {
  const start = source.search(new RegExp(`\\n\\s*(private\\s+|public\\s+)?${name}\\s*\\(`));
  if (start === -1) throw new Error(`method ${name} not found`);
  let depth = 0;
  for (let i = source.indexOf('{', start); i < source.length; i++) {
    if (source[i] === '{') depth++;
    else if (source[i] === '}' && --depth === 0) return source.slice(start, i + 1);
  }
  throw new Error(`method ${name} is not closed`);
}
