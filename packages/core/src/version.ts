/** The version of the Argus packages, reported in `<ns>_bot_info`. Kept in step by the release script. */
export const version = '0.1.0';
