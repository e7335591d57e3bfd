import { For, type JSX, Show } from 'solid-js';

export interface Column<T> {
  /** Header text. A table none of whose columns has one has no header row. */
  head?: string;
  /** Tooltip of the header. */
  title?: string;
  /** Right-aligned figures. */
  num?: boolean;
  /** Monospaced (routes, keys). */
  mono?: boolean;
  /** Marks the cell as bad (red) for this row. */
  bad?: (row: T) => boolean;
  cell: (row: T) => JSX.Element;
}

/**
 * A table of rows, or `empty` (`<testid>-empty`) when there are none. `rowAttrs` gives each
 * `<tr>` its attributes (the `data-*` that tests and browsers select rows by).
 */
export function DataTable<T>(props: {
  testid: string;
  rows: readonly T[];
  columns: readonly Column<T>[];
  empty: string;
  rowAttrs?: (row: T) => Record<`data-${string}`, string>;
}) {
  return (
    <Show
      when={props.rows.length > 0}
      fallback={
        <p class="empty" data-testid={`${props.testid}-empty`}>
          {props.empty}
        </p>
      }
    >
      <div class="table-wrap">
        <table class="table" data-testid={props.testid}>
          <Show when={props.columns.some((c) => c.head !== undefined)}>
            <thead>
              <tr>
                <For each={props.columns}>
                  {(c) => (
                    <th scope="col" classList={{ num: c.num === true }} title={c.title}>
                      {c.head}
                    </th>
                  )}
                </For>
              </tr>
            </thead>
          </Show>
          <tbody>
            <For each={props.rows}>
              {(row) => (
                <tr ref={(tr) => setAttributes(tr, props.rowAttrs?.(row))}>
                  <For each={props.columns}>
                    {(c) => (
                      <td
                        classList={{ num: c.num === true, mono: c.mono === true, bad: c.bad?.(row) === true }}
                      >
                        {c.cell(row)}
                      </td>
                    )}
                  </For>
                </tr>
              )}
            </For>
          </tbody>
        </table>
      </div>
    </Show>
  );
}

/**
 * Sets a row's attributes once: rows are immutable (new figures make new rows), and a JSX spread
 * would pull Solid's generic prop handling (some 2 KiB gzipped) into the bundle.
 */
function setAttributes(el: Element, attrs: Record<string, string> | undefined): void {
  if (attrs) for (const [name, value] of Object.entries(attrs)) el.setAttribute(name, value);
}
