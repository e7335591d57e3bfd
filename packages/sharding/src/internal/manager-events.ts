import type { EventEmitter } from 'node:events';
import type { ArgusEvent, FailOpenGuard } from '@argus/core';
import { asEvents, asReport, isTagged } from '../report';
import type { Fleet } from './fleet';

/** What Argus uses of a discord.js `Shard` or a discord-hybrid-sharding `Cluster`. */
interface ManagedChildHandle extends EventEmitter {
  readonly id: number;
}

/** What Argus uses of discord.js' `ShardingManager` or discord-hybrid-sharding's `ClusterManager`. */
export interface SupportedManager extends EventEmitter {
  /** ShardingManager: the shards by id. */
  readonly shards?: Map<number, unknown>;
  readonly shardList?: number[] | 'auto';
  readonly totalShards?: number | 'auto';
  /** ClusterManager: the clusters by id. */
  readonly clusters?: Map<number, unknown>;
  readonly totalClusters?: number | 'auto' | -1;
}

/** Which manager this is, by the collection it keeps its children in (no import of either package). */
function kindOf(manager: SupportedManager): 'discordjs' | 'hybrid' {
  if (manager.clusters instanceof Map) return 'hybrid';
  if (manager.shards instanceof Map) return 'discordjs';
  throw new TypeError(
    "argusManager(manager): expected discord.js' ShardingManager or discord-hybrid-sharding's ClusterManager",
  );
}

/** How many children the manager will run, once it knows. */
function expectedOf(manager: SupportedManager, kind: 'discordjs' | 'hybrid'): number | undefined {
  if (kind === 'hybrid') {
    const n = manager.totalClusters;
    return typeof n === 'number' && n > 0 ? n : undefined;
  }
  if (Array.isArray(manager.shardList)) return manager.shardList.length;
  return typeof manager.totalShards === 'number' ? manager.totalShards : undefined;
}

/** Listens to every child the manager has and creates; returns what undoes it. */
export function watchManager(
  manager: SupportedManager,
  fleet: Fleet,
  guard: FailOpenGuard,
  onEvents: (events: ArgusEvent[], malformed: number) => void,
): () => void {
  const kind = kindOf(manager);
  fleet.expectedCount = () => expectedOf(manager, kind);
  const detach: (() => void)[] = [];

  const watch = (child: ManagedChildHandle) => {
    const index = child.id;
    fleet.created(index);
    const onSpawn = guard.wrap('manager:spawn', () => fleet.spawned(index));
    const onDeath = guard.wrap('manager:death', () => fleet.died(index));
    const onMessage = guard.wrap('manager:message', (message: unknown) => {
      const report = asReport(message);
      if (report) return fleet.report(index, report);
      const batch = asEvents(message);
      if (batch) return onEvents(batch.events, batch.malformed);
      if (isTagged(message)) fleet.rejectMalformed();
    });
    child.on('spawn', onSpawn);
    child.on('death', onDeath);
    child.on('message', onMessage);
    const running = child as unknown as { process?: unknown; worker?: unknown; thread?: unknown };
    if (running.process || running.worker || running.thread) onSpawn();
    detach.push(() => {
      child.off('spawn', onSpawn);
      child.off('death', onDeath);
      child.off('message', onMessage);
    });
  };

  const children = kind === 'hybrid' ? manager.clusters! : manager.shards!;
  for (const child of children.values()) watch(child as ManagedChildHandle);
  const event = kind === 'hybrid' ? 'clusterCreate' : 'shardCreate';
  const onCreate = guard.wrap(`manager:${event}`, (child: ManagedChildHandle) => watch(child));
  manager.on(event, onCreate);
  return () => {
    manager.off(event, onCreate);
    for (const undo of detach.splice(0)) undo();
  };
}
