import { describe, expect, it } from 'vitest';
import { MissingPackageError } from './optional';
import { checkTracingPackages } from './tracing';

describe('checkTracingPackages', () => {
  it('names the package to install when @argus/tracing is missing', () => {
    const missing = (pkg: string) => pkg !== '@argus/tracing';
    expect(() => checkTracingPackages(missing)).toThrow(MissingPackageError);
    expect(() => checkTracingPackages(missing)).toThrow(
      'Argus option enableTracing (env ARGUS_ENABLE_TRACING) needs the package @argus/tracing: install it with `npm install @argus/tracing`',
    );
  });

  it('names @opentelemetry/api, the peer @argus/tracing needs', () => {
    expect(() => checkTracingPackages((pkg) => pkg !== '@opentelemetry/api')).toThrow(
      /needs the package @opentelemetry\/api/,
    );
  });

  it('passes when both are installed (as here)', () => {
    expect(() => checkTracingPackages()).not.toThrow();
  });
});
