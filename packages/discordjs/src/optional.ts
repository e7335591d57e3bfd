import { createRequire } from 'node:module';

const localRequire = createRequire(import.meta.url);

/** Whether an optional package can be loaded from here. */
export function isInstalled(specifier: string): boolean {
  try {
    localRequire.resolve(specifier);
    return true;
  } catch {
    return false;
  }
}

/** Options that need a package the bot must install itself, checked at start. */
export const OPTIONAL_PACKAGES = [
  { option: 'otlpEndpoint', envVar: 'ARGUS_OTLP_ENDPOINT', pkg: '@argus/otlp' },
  { option: 'enableTracing', envVar: 'ARGUS_ENABLE_TRACING', pkg: '@argus/tracing' },
  { option: 'enablePerGuild', envVar: 'ARGUS_ENABLE_PER_GUILD', pkg: '@argus/clickhouse' },
] as const;

export class MissingPackageError extends Error {
  override readonly name = 'MissingPackageError';
  constructor(
    readonly option: string,
    readonly envVar: string,
    readonly pkg: string,
  ) {
    super(
      `Argus option ${option} (env ${envVar}) needs the package ${pkg}: install it with \`npm install ${pkg}\``,
    );
  }
}
