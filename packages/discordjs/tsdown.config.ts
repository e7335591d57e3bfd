import { defineConfig } from 'tsdown';
import base from '../../tsdown.base.ts';

// @discordjs/voice is loaded at run time only when the bot has it: never resolved at build.
export default defineConfig({ ...base, external: ['@discordjs/voice'] });
