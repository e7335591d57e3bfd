// A small builder for Grafana dashboard JSON (schemaVersion 39): panels laid out on the 24-column
// grid in order, one data source variable per board, thresholds and units on every panel.

/** A Grafana variable reference, `${name}` (written so that it never reads as a JS template). */
export const grafanaVar = (name: string, format?: string) => `$\{${name}${format ? `:${format}` : ''}}`;

export type PanelType = 'timeseries' | 'stat' | 'table' | 'state-timeline';
export type DataSourceKind = 'prometheus' | 'clickhouse';

const PLUGIN: Record<DataSourceKind, string> = {
  prometheus: 'prometheus',
  clickhouse: 'grafana-clickhouse-datasource',
};

export interface Query {
  /** PromQL, or SQL for ClickHouse; may use $cluster, ${namespace}, $__rate_interval. */
  expr: string;
  legend?: string;
  /** Instant query (tables, bot info). */
  instant?: boolean;
}

export interface Step {
  value: number;
  color: 'green' | 'orange' | 'red' | 'blue';
}

export interface PanelSpec {
  title: string;
  description: string;
  type: PanelType;
  /** A Grafana unit id: s, percentunit, reqps, ops, bytes, short, none. */
  unit: string;
  queries: Query[];
  /** Colour steps above the base colour (green unless `base` says otherwise). */
  thresholds?: Step[];
  base?: Step['color'];
  /** Grid width out of 24. Default 12. */
  width?: number;
  height?: number;
  min?: number;
  max?: number;
}

export interface Variable {
  name: string;
  label: string;
  json: Record<string, unknown>;
}

export interface BoardSpec {
  uid: string;
  title: string;
  description: string;
  datasource: DataSourceKind;
  variables: Variable[];
  panels: PanelSpec[];
}

export interface GrafanaTarget {
  refId: string;
  datasource: { type: string; uid: string };
  expr?: string;
  rawSql?: string;
  legendFormat?: string;
  instant?: boolean;
  range?: boolean;
  format?: number | string;
  editorType?: string;
  queryType?: string;
}

export interface GrafanaPanel {
  id: number;
  type: PanelType;
  title: string;
  description: string;
  datasource: { type: string; uid: string };
  gridPos: { h: number; w: number; x: number; y: number };
  fieldConfig: {
    defaults: {
      unit: string;
      min?: number;
      max?: number;
      thresholds: { mode: 'absolute'; steps: { color: string; value: number | null }[] };
      color: { mode: string };
    };
    overrides: never[];
  };
  options: Record<string, unknown>;
  targets: GrafanaTarget[];
}

export interface GrafanaBoard {
  uid: string;
  title: string;
  description: string;
  tags: string[];
  editable: boolean;
  schemaVersion: number;
  refresh: string;
  time: { from: string; to: string };
  timezone: string;
  graphTooltip: number;
  links: unknown[];
  templating: { list: Record<string, unknown>[] };
  panels: GrafanaPanel[];
}

export const DATASOURCE_VARIABLE = (kind: DataSourceKind): Variable => ({
  name: 'datasource',
  label: kind === 'prometheus' ? 'Prometheus' : 'ClickHouse',
  json: { type: 'datasource', query: PLUGIN[kind], current: {}, hide: 0, refresh: 1, regex: '' },
});

function options(type: PanelType): Record<string, unknown> {
  switch (type) {
    case 'stat':
      return {
        reduceOptions: { calcs: ['lastNotNull'], fields: '', values: false },
        colorMode: 'value',
        graphMode: 'area',
        textMode: 'auto',
      };
    case 'table':
      return { showHeader: true, cellHeight: 'sm' };
    case 'state-timeline':
      return { showValue: 'never', mergeValues: true, legend: { showLegend: true, displayMode: 'list' } };
    case 'timeseries':
      return {
        legend: { showLegend: true, displayMode: 'list', placement: 'bottom' },
        tooltip: { mode: 'multi', sort: 'desc' },
      };
  }
}

export function buildBoard(spec: BoardSpec): GrafanaBoard {
  const ds = { type: PLUGIN[spec.datasource], uid: grafanaVar('datasource') };
  let x = 0;
  let y = 0;
  let rowHeight = 0;
  const panels = spec.panels.map((p, i): GrafanaPanel => {
    const w = p.width ?? 12;
    const h = p.height ?? (p.type === 'stat' ? 4 : 8);
    if (x + w > 24) {
      x = 0;
      y += rowHeight;
      rowHeight = 0;
    }
    const gridPos = { h, w, x, y };
    x += w;
    rowHeight = Math.max(rowHeight, h);
    const targets = p.queries.map((q, j): GrafanaTarget => {
      const refId = String.fromCharCode(65 + j);
      if (spec.datasource === 'clickhouse') {
        return {
          refId,
          datasource: ds,
          rawSql: q.expr,
          editorType: 'sql',
          queryType: p.type === 'timeseries' ? 'timeseries' : 'table',
          format: p.type === 'timeseries' ? 0 : 1,
        };
      }
      return {
        refId,
        datasource: ds,
        expr: q.expr,
        legendFormat: q.legend ?? '__auto',
        ...(q.instant ? { instant: true, range: false, format: 'table' } : { range: true }),
      };
    });
    return {
      id: i + 1,
      type: p.type,
      title: p.title,
      description: p.description,
      datasource: ds,
      gridPos,
      fieldConfig: {
        defaults: {
          unit: p.unit,
          ...(p.min === undefined ? {} : { min: p.min }),
          ...(p.max === undefined ? {} : { max: p.max }),
          thresholds: {
            mode: 'absolute',
            steps: [
              { color: p.base ?? 'green', value: null },
              ...(p.thresholds ?? []).map((s) => ({ color: s.color, value: s.value })),
            ],
          },
          color: { mode: p.type === 'timeseries' ? 'palette-classic' : 'thresholds' },
        },
        overrides: [],
      },
      options: options(p.type),
      targets,
    };
  });
  return {
    uid: spec.uid,
    title: spec.title,
    description: spec.description,
    tags: ['argus', 'discord', 'discord.js'],
    editable: true,
    schemaVersion: 39,
    refresh: '30s',
    time: { from: 'now-6h', to: 'now' },
    timezone: '',
    graphTooltip: 1,
    links: [
      {
        title: 'Argus boards',
        type: 'dashboards',
        tags: ['argus'],
        asDropdown: true,
        includeVars: true,
        keepTime: true,
      },
    ],
    templating: { list: spec.variables.map((v) => ({ name: v.name, label: v.label, ...v.json })) },
    panels,
  };
}
