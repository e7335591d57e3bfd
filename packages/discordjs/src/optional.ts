import { createRequire } from 'node:module';

const localRequire = createRequire(import.meta.url);

/** Whether an optional package can be loaded from here (or from where `from` resolves). */
export function isInstalled(specifier: string, from: NodeJS.Require = localRequire): boolean {
  try {
    from.resolve(specifier);
    return true;
  } catch {
    return false;
  }
}

/**
 * Options that need a package the bot must install itself and that this version does not wire
 * yet, checked at start: with the package missing the error names it to install, and with it
 * present the option is refused rather than silently ignored. (Per-guild analytics and OTLP push
 * are wired; their packages are checked in history.ts and otlp-push.ts.)
 */
export const OPTIONAL_PACKAGES = [
  { option: 'enableTracing', envVar: 'ARGUS_ENABLE_TRACING', pkg: '@argus/tracing' },
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
