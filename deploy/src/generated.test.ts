// The generated files under deploy/ are exactly what the definitions produce, and Prometheus'
// own promtool accepts them: `check rules` clean, and every alert's fire and no-fire cases pass.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { argusRules } from '@argus/alerts';
import { promtool } from '@argus/test-services';
import yaml from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { generatedFiles } from './outputs';
import { ALERT_CASES } from './rule-tests';

/** Every recording and alerting rule the definitions ship, as promtool counts them. */
const RULE_COUNT = ((r) => [...r.recording, ...r.alerting].reduce((n, g) => n + g.rules.length, 0))(
  argusRules(),
);

const deployDir = fileURLToPath(new URL('..', import.meta.url));
const files = generatedFiles();

describe('generated deploy files', () => {
  it.each([...files.keys()])(
    '%s matches its definitions (run `pnpm --filter @argus/deploy generate`)',
    (path) => {
      const committed = readFileSync(`${deployDir}${path}`, 'utf8');
      const generated = files.get(path)!;
      // Biome lays the files out; what must match is their content (and the do-not-edit header).
      if (path.endsWith('.json')) expect(JSON.parse(committed)).toEqual(JSON.parse(generated));
      else {
        expect(yaml.load(committed)).toEqual(yaml.load(generated));
        expect(committed.split('\n')[0]).toBe(generated.split('\n')[0]);
      }
    },
  );

  it('passes promtool check rules', async () => {
    const result = await promtool(['check', 'rules', `${deployDir}prometheus/rules/argus.rules.yml`]);
    expect(result.stdout + result.stderr).toContain(`SUCCESS: ${RULE_COUNT} rules found`);
    expect(result.status).toBe(0);
  });

  it('passes the promtool rule unit tests', async () => {
    const result = await promtool(['test', 'rules', `${deployDir}prometheus/tests/argus.rules.test.yml`]);
    expect(result.stdout + result.stderr).toContain('SUCCESS');
    expect(result.status, result.stdout + result.stderr).toBe(0);
  });

  it('has, for every alert, a case where it fires and a case where it must not', () => {
    const alerts = argusRules().alerting.flatMap((g) => g.rules.map((r) => r.alert));
    for (const alert of alerts) {
      const cases = ALERT_CASES.filter((c) => c.alert === alert);
      expect(
        cases.some((c) => c.fires.length > 0),
        `${alert} has no firing case`,
      ).toBe(true);
      expect(
        cases.some((c) => c.fires.length === 0),
        `${alert} has no quiet case`,
      ).toBe(true);
    }
  });
});
