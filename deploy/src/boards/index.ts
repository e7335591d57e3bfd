import { ANALYTICS } from './analytics-board';
import { buildBoard, type GrafanaBoard } from './grafana';
import { GATEWAY, HEALTH, INTERACTIONS, OVERVIEW, REST } from './prometheus-boards';

export const BOARD_SPECS = [OVERVIEW, INTERACTIONS, GATEWAY, REST, HEALTH, ANALYTICS];

/** Every board as Grafana imports it. */
export const BOARDS: GrafanaBoard[] = BOARD_SPECS.map(buildBoard);
