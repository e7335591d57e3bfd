#!/usr/bin/env node
import { CliUsageError, runCli, USAGE } from './internal/cli-main.js';

// The `argus-discord-sim` bin: starts the sim, prints its addresses, stops cleanly on SIGINT/SIGTERM.
const io = {
  out: (line: string) => process.stdout.write(`${line}\n`),
  err: (line: string) => process.stderr.write(`${line}\n`),
};

async function main(): Promise<void> {
  const handle = await runCli(process.argv.slice(2), io);
  if (!handle) return;
  const shutdown = (signal: NodeJS.Signals): void => {
    io.out(`received ${signal}, shutting down`);
    // If something refuses to close, do not hang the terminal.
    setTimeout(() => process.exit(1), 5000).unref();
    handle.stop().then(
      () => {
        process.exitCode = 0;
      },
      (error: unknown) => {
        io.err(String(error));
        process.exitCode = 1;
      },
    );
  };
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
}

main().catch((error: unknown) => {
  if (error instanceof CliUsageError) {
    io.err(`argus-discord-sim: ${error.message}\n`);
    io.err(USAGE);
    process.exitCode = 2;
  } else {
    io.err(`argus-discord-sim: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
  }
});
