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

/**
 * Options that need a package the bot must install itself, checked at start. None of them is
 * wired into this version yet: with the package missing the error names it to install, and with
 * it present the option is refused rather than silently ignored.
 */
export const OPTIONAL_PACKAGES = [
  { option: 'otlpEndpoint', envVar: 'ARGUS_OTLP_ENDPOINT', pkg: '@argus/otlp' },
  { option: 'enableTracing', envVar: 'ARGUS_ENABLE_TRACING', pkg: '@argus/tracing' },
  { option: 'enablePerGuild', envVar: 'ARGUS_ENABLE_PER_GUILD', pkg: '@argus/clickhouse' },
] as const;

export class UnsupportedOptionError extends Error {
  override readonly name = 'UnsupportedOptionError';
  constructor(
    readonly option: string,
    readonly envVar: string,
  ) {
    super(
      `Argus option ${option} (env ${envVar}) is not supported by this version of @argus/discordjs yet; leave it unset`,
    );
  }
}

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
