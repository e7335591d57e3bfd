import { describe, expect, it } from 'vitest';
import { parseExposition } from './exposition';

const TEXT = `# HELP discord_interactions_total Interactions received.
# TYPE discord_interactions_total counter
discord_interactions_total{cluster="3",type="command"} 5
discord_interactions_total{type="button",cluster="3"} 2
# HELP process_resident_memory_bytes Resident memory size in bytes.
# TYPE process_resident_memory_bytes gauge
process_resident_memory_bytes 1000
# HELP nodejs_heap_space_size_total_bytes Process heap space size total from Node.js in bytes.
# TYPE nodejs_heap_space_size_total_bytes gauge
nodejs_heap_space_size_total_bytes{space="new"} 10
nodejs_gc_runs{} 4
`;

describe('parseExposition', () => {
  it('splits families, keeps an existing cluster label and adds one where it is missing', () => {
    const families = parseExposition(TEXT, '3', new Set(['discord_interactions_total']));
    expect(families.map((f) => f.name)).toEqual([
      'discord_interactions_total',
      'process_resident_memory_bytes',
      'nodejs_heap_space_size_total_bytes',
    ]);
    expect(families[0]?.values).toEqual([5, 2]);
    expect(families[1]?.values).toBeUndefined();
    expect(families.map((f) => f.body).join('')).toMatchInlineSnapshot(`
      "discord_interactions_total{cluster="3",type="command"} 5
      discord_interactions_total{type="button",cluster="3"} 2
      process_resident_memory_bytes{cluster="3"} 1000
      nodejs_heap_space_size_total_bytes{cluster="3",space="new"} 10
      nodejs_gc_runs{cluster="3"} 4
      "
    `);
    expect(families[0]?.header).toBe(
      '# HELP discord_interactions_total Interactions received.\n# TYPE discord_interactions_total counter\n',
    );
  });

  it('escapes the cluster value and survives text that is not the exposition format', () => {
    const [family] = parseExposition('x 1\n', 'a"b\\c', new Set());
    expect(family?.body).toBe('x{cluster="a\\"b\\\\c"} 1\n');
    expect(parseExposition('', '0', new Set())).toEqual([]);
    expect(() => parseExposition('{{{ \n# HELP\n#\n\n}}} nope', '0', new Set(['x']))).not.toThrow();
  });
});
