/** The instrumentation scope of every span Argus makes; the sampler recognises its roots by it. */
export const TRACER_NAME = '@argus/tracing';

/** Set to false on a root span whose interaction missed Discord's 3 s deadline. */
export const DEADLINE_MET = 'discord.interaction.deadline_met';
