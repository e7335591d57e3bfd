// Replaced at build time (tsdown's `define`) and in tests (vitest's) with the version in core's
// package.json, as discord.js injects its own: no constant for a release script to forget.
declare const __ARGUS_VERSION__: string | undefined;

/** The version of the Argus packages, reported in `<ns>_bot_info`. */
export const version: string = typeof __ARGUS_VERSION__ === 'string' ? __ARGUS_VERSION__ : '0.0.0-unknown';
