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

export class MissingPackageError extends Error {
  override readonly name = 'MissingPackageError';
  constructor(
    readonly option: string,
    readonly envVar: string,
    readonly pkg: string,
    message = `Argus option ${option} (env ${envVar}) needs the package ${pkg}: install it with \`npm install ${pkg}\``,
  ) {
    super(message);
  }
}
