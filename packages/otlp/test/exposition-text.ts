// Reads the Prometheus text exposition into families, for comparing it with an OTLP export.

export interface TextSample {
  name: string;
  labels: Record<string, string>;
  value: number;
}
export interface TextFamily {
  name: string;
  type: string;
  samples: TextSample[];
}

export function parseExposition(text: string): Map<string, TextFamily> {
  const families = new Map<string, TextFamily>();
  let current: TextFamily | undefined;
  for (const line of text.split('\n')) {
    if (line.startsWith('# TYPE ')) {
      const [name, type] = line.slice('# TYPE '.length).split(' ') as [string, string];
      current = { name, type, samples: [] };
      families.set(name, current);
      continue;
    }
    if (line === '' || line.startsWith('#') || !current) continue;
    const brace = line.indexOf('{');
    const space = line.lastIndexOf(' ');
    const name = brace === -1 ? line.slice(0, space) : line.slice(0, brace);
    const labels: Record<string, string> = {};
    if (brace !== -1) {
      const inner = line.slice(brace + 1, line.lastIndexOf('}'));
      for (const match of inner.matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g))
        labels[match[1]!] = match[2]!.replace(/\\n/g, '\n').replace(/\\"/g, '"').replace(/\\\\/g, '\\');
    }
    current.samples.push({ name, labels, value: Number(line.slice(space + 1)) });
  }
  return families;
}

/** A label set as one comparable string, keys sorted. */
export function labelKey(labels: Record<string, string>): string {
  return JSON.stringify(Object.entries(labels).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
