import type { MetricsSnapshot } from '@argus/core';
import type { ChildReport } from '../report';
import { escapeLabelValue, type ParsedFamily, parseExposition } from './exposition';
import { type ChildFamilies, mergeSnapshot, readExposition } from './fleet-snapshot';
import { type ClusterSummary, summarize, summaryFamilies } from './summary';

/** One child as the manager's fleet view shows it. */
export interface ClusterView {
  /** The child's number in its manager (shard id or cluster id). */
  index: number;
  /** Its `cluster` label. */
  cluster: string;
  /** A report arrived within the deadline since the child was last spawned. */
  up: boolean;
  /** Up, and its client said it is ready. */
  ready: boolean;
  /** The manager holds a process or worker for it. */
  alive: boolean;
  pid: number | null;
  /** When it last reported, in milliseconds since the epoch (null: never). */
  lastSeen: number | null;
  /** Seconds since that report. */
  ageSeconds: number | null;
  /** Times its process or worker exited while the manager watched. */
  deaths: number;
  /** From its last report; null when it is down. */
  summary: ClusterSummary | null;
}

/** The body of `/api/fleet`. */
export interface FleetView {
  time: number;
  deadlineMs: number;
  /** Children the manager is configured to run (or has seen, if it says nothing). */
  expected: number;
  ready: boolean;
  clusters: ClusterView[];
}

interface ChildState {
  readonly index: number;
  cluster: string;
  alive: boolean;
  spawnedAt: number;
  pid: number | null;
  lastSeen: number | null;
  ready: boolean;
  families: ParsedFamily[];
  /** Its families read for the dashboard, on the first snapshot after a report. */
  read: ChildFamilies | null;
  summary: ClusterSummary | null;
  previous: { interactions: number; time: number } | undefined;
  deaths: number;
}

export type RejectReason = 'malformed' | 'duplicate_cluster';

export interface FleetOptions {
  deadlineMs: number;
  /** Share of the expected children that must be ready for `/readyz` (0 < share ≤ 1). */
  readyShare: number;
  now?: () => number;
}

/**
 * Every child's last report and liveness. Reports are parsed when they arrive; a render only
 * concatenates, and never waits on a child: what has not reported within the deadline is down.
 */
export class Fleet {
  private readonly children = new Map<number, ChildState>();
  private readonly rejected: Record<RejectReason, number> = { malformed: 0, duplicate_cluster: 0 };
  private readonly now: () => number;
  /** The children the manager was told to run, when it knows. */
  expectedCount: () => number | undefined = () => undefined;

  constructor(private readonly options: FleetOptions) {
    this.now = options.now ?? Date.now;
  }

  private child(index: number): ChildState {
    let state = this.children.get(index);
    if (!state) {
      state = {
        index,
        cluster: String(index),
        alive: false,
        spawnedAt: this.now(),
        pid: null,
        lastSeen: null,
        ready: false,
        families: [],
        read: null,
        summary: null,
        previous: undefined,
        deaths: 0,
      };
      this.children.set(index, state);
    }
    return state;
  }

  /** The manager created the child (not yet spawned). */
  created(index: number): void {
    this.child(index);
  }

  spawned(index: number): void {
    const state = this.child(index);
    state.alive = true;
    state.spawnedAt = this.now();
  }

  /** Its process or worker exited: down at once, its series leave the view. */
  died(index: number): void {
    const state = this.child(index);
    state.alive = false;
    state.ready = false;
    state.families = [];
    state.read = null;
    state.summary = null;
    state.deaths++;
  }

  rejectMalformed(): void {
    this.rejected.malformed++;
  }

  report(index: number, report: ChildReport): void {
    const now = this.now();
    for (const other of this.children.values()) {
      if (other.index !== index && other.cluster === report.cluster && this.isUp(other, now)) {
        this.rejected.duplicate_cluster++;
        return;
      }
    }
    const state = this.child(index);
    const names = summaryFamilies(report.namespace);
    const keep = new Set(Object.values(names));
    state.cluster = report.cluster;
    state.alive = true;
    state.pid = report.pid;
    state.lastSeen = now;
    state.ready = report.ready;
    state.families = parseExposition(report.text, report.cluster, keep);
    state.read = null;
    const summary = summarize(state.families, report.namespace, report.rss, state.previous, report.time);
    state.previous = { interactions: summary.interactions, time: report.time };
    state.summary = summary;
  }

  private isUp(state: ChildState, now: number): boolean {
    return (
      state.alive &&
      state.lastSeen !== null &&
      state.lastSeen >= state.spawnedAt &&
      now - state.lastSeen <= this.options.deadlineMs
    );
  }

  private sorted(): ChildState[] {
    return [...this.children.values()].sort((a, b) => a.index - b.index);
  }

  private expected(): number {
    return Math.max(this.expectedCount() ?? 0, this.children.size);
  }

  /** Prometheus text: the manager's own families, then every up child's families, concatenated. */
  render(): string {
    const now = this.now();
    const states = this.sorted();
    const out: string[] = [this.renderOwn(states, now)];
    // Families in the order the children first name them; HELP/TYPE from the first that has them.
    const merged = new Map<string, { header: string; bodies: string[] }>();
    for (const s of states) {
      if (!this.isUp(s, now)) continue;
      for (const f of s.families) {
        let entry = merged.get(f.name);
        if (!entry) {
          entry = { header: f.header, bodies: [] };
          merged.set(f.name, entry);
        } else if (entry.header === '') entry.header = f.header;
        if (f.body !== '') entry.bodies.push(f.body);
      }
    }
    for (const entry of merged.values()) {
      out.push(entry.header);
      for (const body of entry.bodies) out.push(body);
    }
    return out.join('');
  }

  /**
   * The dashboard's snapshot: the manager's own families, then every up child's (each series
   * under its `cluster` label). A child's text is read once per report, on the first snapshot
   * that needs it, so reports that no viewer looks at cost nothing more.
   */
  snapshot(): MetricsSnapshot {
    const now = this.now();
    const states = this.sorted();
    const expositions: ChildFamilies[] = [readExposition(this.renderOwn(states, now))];
    for (const s of states) {
      if (!this.isUp(s, now)) continue;
      s.read ??= readExposition(s.families.map((f) => f.header + f.body).join(''));
      expositions.push(s.read);
    }
    return mergeSnapshot(now, expositions);
  }

  /** The manager's own families: liveness of every child, rejected reports, expected count. */
  private renderOwn(states: readonly ChildState[], now: number): string {
    const out: string[] = [];
    out.push(
      '# HELP argus_cluster_up Whether the child reported to the manager within the deadline (1) or not (0).\n',
      '# TYPE argus_cluster_up gauge\n',
    );
    for (const s of states)
      out.push(`argus_cluster_up{cluster="${escapeLabelValue(s.cluster)}"} ${this.isUp(s, now) ? 1 : 0}\n`);
    out.push(
      '# HELP argus_cluster_last_seen_timestamp_seconds When the child last reported to the manager.\n',
      '# TYPE argus_cluster_last_seen_timestamp_seconds gauge\n',
    );
    for (const s of states) {
      if (s.lastSeen !== null)
        out.push(
          `argus_cluster_last_seen_timestamp_seconds{cluster="${escapeLabelValue(s.cluster)}"} ${s.lastSeen / 1000}\n`,
        );
    }
    out.push(
      '# HELP argus_cluster_deaths_total Exits of a child process or worker seen by the manager.\n',
      '# TYPE argus_cluster_deaths_total counter\n',
    );
    for (const s of states)
      out.push(`argus_cluster_deaths_total{cluster="${escapeLabelValue(s.cluster)}"} ${s.deaths}\n`);
    out.push(
      '# HELP argus_cluster_reports_rejected_total Reports from children the manager refused.\n',
      '# TYPE argus_cluster_reports_rejected_total counter\n',
    );
    for (const [reason, count] of Object.entries(this.rejected))
      out.push(`argus_cluster_reports_rejected_total{reason="${reason}"} ${count}\n`);
    out.push(
      '# HELP argus_clusters_expected Children the manager runs.\n',
      '# TYPE argus_clusters_expected gauge\n',
      `argus_clusters_expected ${this.expected()}\n`,
    );
    return out.join('');
  }

  view(): FleetView {
    const now = this.now();
    const clusters = this.sorted().map((s): ClusterView => {
      const up = this.isUp(s, now);
      return {
        index: s.index,
        cluster: s.cluster,
        up,
        ready: up && s.ready,
        alive: s.alive,
        pid: s.pid,
        lastSeen: s.lastSeen,
        ageSeconds: s.lastSeen === null ? null : Math.max(0, (now - s.lastSeen) / 1000),
        deaths: s.deaths,
        summary: up ? s.summary : null,
      };
    });
    return {
      time: now,
      deadlineMs: this.options.deadlineMs,
      expected: this.expected(),
      ready: this.isReady(clusters),
      clusters,
    };
  }

  private isReady(clusters: readonly ClusterView[]): boolean {
    const expected = this.expected();
    if (expected === 0) return false;
    const ready = clusters.filter((c) => c.ready).length;
    return ready >= Math.ceil(expected * this.options.readyShare);
  }

  readiness(): { ready: boolean; checks: Record<string, boolean> } {
    const view = this.view();
    const checks: Record<string, boolean> = {};
    for (const c of view.clusters) checks[`cluster:${c.cluster}`] = c.ready;
    return { ready: view.ready, checks };
  }

  /** Prometheus http_sd targets for children that serve their own port (`port + 1 + index`). */
  targets(host: string, port: number): { targets: string[]; labels: Record<string, string> }[] {
    const count = this.expected();
    const indexes = new Set<number>(this.children.keys());
    for (let i = 0; i < count && indexes.size < count; i++) indexes.add(i);
    return [...indexes]
      .sort((a, b) => a - b)
      .map((index) => ({
        targets: [`${host.includes(':') ? `[${host}]` : host}:${port + 1 + index}`],
        labels: { cluster: this.children.get(index)?.cluster ?? String(index) },
      }));
  }
}
