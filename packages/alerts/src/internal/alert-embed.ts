// Discord embeds for alert notifications, within Discord's documented embed limits.
import type { AlertState } from '../evaluator';
import { formatNumber } from '../promql';
import type { Severity } from '../types';

export interface Embed {
  title: string;
  description?: string;
  url?: string;
  color: number;
  fields?: { name: string; value: string; inline?: boolean }[];
  footer?: { text: string };
  timestamp?: string;
}

export type NotificationKind = 'firing' | 'repeat' | 'resolved';

export const SEVERITY_COLOURS: Readonly<Record<Severity, number>> = Object.freeze({
  critical: 0xe74c3c,
  warning: 0xf39c12,
  info: 0x3498db,
});
export const RESOLVED_COLOUR = 0x2ecc71;

const TITLES: Record<NotificationKind, string> = {
  firing: 'FIRING',
  repeat: 'STILL FIRING',
  resolved: 'RESOLVED',
};

/** Discord's per-message cap on embeds and on their total characters. */
export const MAX_EMBEDS_PER_MESSAGE = 10;
export const MAX_EMBED_CHARS_PER_MESSAGE = 6000;

export function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

function labelText(labels: Readonly<Record<string, string>>): string {
  const pairs = Object.entries(labels).filter(([k]) => k !== 'alertname' && k !== 'severity');
  return pairs.length === 0 ? '(none)' : pairs.map(([k, v]) => `\`${k}=${v}\``).join(' ');
}

export function alertEmbed(
  alert: AlertState,
  kind: NotificationKind,
  dashboardUrl: string | undefined,
): Embed {
  const at = kind === 'resolved' ? alert.resolvedAt : kind === 'firing' ? alert.firedAt : undefined;
  const embed: Embed = {
    title: truncate(`${TITLES[kind]} · ${alert.summary}`, 256),
    description: truncate(alert.description, 600),
    color: kind === 'resolved' ? RESOLVED_COLOUR : SEVERITY_COLOURS[alert.severity],
    fields: [
      { name: 'Alert', value: alert.alert, inline: true },
      { name: 'Severity', value: alert.severity, inline: true },
      { name: kind === 'resolved' ? 'Last value' : 'Value', value: formatNumber(alert.value), inline: true },
      { name: 'Labels', value: truncate(labelText(alert.labels), 300) },
    ],
    footer: { text: 'Argus alerts' },
  };
  if (kind !== 'resolved') embed.fields?.push({ name: 'Runbook', value: truncate(alert.runbook, 500) });
  if (dashboardUrl) embed.url = dashboardUrl;
  if (at !== undefined) embed.timestamp = new Date(at).toISOString();
  return embed;
}

/** One embed that lists many alerts, when too many change at once for one embed each. */
export function digestEmbed(
  items: readonly { alert: AlertState; kind: NotificationKind }[],
  dashboardUrl: string | undefined,
): Embed {
  const firing = items.filter((i) => i.kind !== 'resolved').length;
  const lines = items.map(
    ({ alert, kind }) =>
      `**${TITLES[kind]}** ${alert.severity} · ${alert.summary} (${formatNumber(alert.value)})`,
  );
  let description = '';
  let shown = 0;
  for (const line of lines) {
    const next = `${description}${truncate(line, 200)}\n`;
    if (next.length > 3800) break;
    description = next;
    shown++;
  }
  if (shown < lines.length) description += `…and ${lines.length - shown} more: see the dashboard.`;
  const worst = items.some((i) => i.kind !== 'resolved' && i.alert.severity === 'critical')
    ? 'critical'
    : 'warning';
  const embed: Embed = {
    title: `${items.length} alerts changed: ${firing} firing, ${items.length - firing} resolved`,
    description: description.trimEnd(),
    color: firing === 0 ? RESOLVED_COLOUR : SEVERITY_COLOURS[worst],
    footer: { text: 'Argus alerts' },
  };
  if (dashboardUrl) embed.url = dashboardUrl;
  return embed;
}

export function embedChars(embed: Embed): number {
  let n = embed.title.length + (embed.description?.length ?? 0) + (embed.footer?.text.length ?? 0);
  for (const f of embed.fields ?? []) n += f.name.length + f.value.length;
  return n;
}
