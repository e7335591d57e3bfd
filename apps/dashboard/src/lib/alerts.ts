// The bot's in-process alerts as /api/alerts serves them (@argus/alerts' AlertsView), read
// defensively: the page shows what it can and never throws on an unexpected body.

export type AlertStatus = 'pending' | 'firing' | 'resolved';

export interface AlertItem {
  alert: string;
  status: AlertStatus;
  severity: string;
  summary: string;
  value: number;
  activeAt: number;
  resolvedAt: number | null;
}

export interface AlertsData {
  evaluatedAt: number | null;
  active: AlertItem[];
  recent: AlertItem[];
  webhook: boolean;
}

function item(raw: unknown): AlertItem | null {
  if (typeof raw !== 'object' || raw === null) return null;
  const r = raw as Record<string, unknown>;
  if (typeof r.alert !== 'string') return null;
  const status = r.status === 'firing' || r.status === 'resolved' ? r.status : 'pending';
  return {
    alert: r.alert,
    status,
    severity: typeof r.severity === 'string' ? r.severity : 'warning',
    summary: typeof r.summary === 'string' ? r.summary : r.alert,
    value: typeof r.value === 'number' ? r.value : Number.NaN,
    activeAt: typeof r.activeAt === 'number' ? r.activeAt : 0,
    resolvedAt: typeof r.resolvedAt === 'number' ? r.resolvedAt : null,
  };
}

export function parseAlerts(body: unknown): AlertsData {
  const b = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
  const list = (v: unknown) =>
    Array.isArray(v) ? v.map(item).filter((i): i is AlertItem => i !== null) : [];
  return {
    evaluatedAt: typeof b.evaluatedAt === 'number' ? b.evaluatedAt : null,
    active: list(b.active),
    recent: list(b.recent),
    webhook: b.webhook === true,
  };
}

/** "3 min ago" style, from two epoch-ms times. */
export function fmtSince(at: number, now: number): string {
  const s = Math.max(0, Math.round((now - at) / 1000));
  if (s < 60) return `${s} s ago`;
  if (s < 3600) return `${Math.round(s / 60)} min ago`;
  if (s < 86_400) return `${Math.round(s / 3600)} h ago`;
  return `${Math.round(s / 86_400)} d ago`;
}
