import { spawn } from 'node:child_process';
import { PROMTOOL, requireBinary } from './binaries';

export interface PromtoolResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Runs promtool with `args`, feeding `input` on stdin. */
export function promtool(args: string[], input?: string): Promise<PromtoolResult> {
  const bin = requireBinary(PROMTOOL);
  return new Promise((resolve, reject) => {
    const child = spawn(bin, args, { stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => {
      stdout += c;
    });
    child.stderr.on('data', (c: Buffer) => {
      stderr += c;
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ status: code, stdout, stderr }));
    child.stdin.end(input ?? '');
  });
}

/** `promtool check metrics` on an exposition; problems are printed by promtool on stdout/stderr. */
export async function checkMetrics(exposition: string): Promise<PromtoolResult & { problems: string[] }> {
  const result = await promtool(['check', 'metrics'], exposition);
  const problems = `${result.stdout}\n${result.stderr}`
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
  return { ...result, problems };
}
