import { cleanup, render, screen } from '@solidjs/testing-library';
import { afterEach, describe, expect, it } from 'vitest';
import { type Column, DataTable } from './DataTable';

interface Row {
  name: string;
  errors: number;
}

const COLUMNS: Column<Row>[] = [
  { head: 'Name', mono: true, cell: (r) => r.name },
  {
    head: 'Errors',
    title: 'over the window',
    num: true,
    bad: (r) => r.errors > 0,
    cell: (r) => String(r.errors),
  },
];

afterEach(cleanup);

describe('DataTable', () => {
  it('renders a header and one row per item, with the row attributes and cell classes', () => {
    const rows: Row[] = [
      { name: 'a', errors: 0 },
      { name: 'b', errors: 2 },
    ];
    render(() => (
      <DataTable
        testid="t"
        rows={rows}
        columns={COLUMNS}
        empty="none"
        rowAttrs={(r) => ({ 'data-name': r.name })}
      />
    ));
    const table = screen.getByTestId('t');
    const heads = [...table.querySelectorAll('thead th')];
    expect(heads.map((th) => th.textContent)).toEqual(['Name', 'Errors']);
    expect(heads[1]!.getAttribute('title')).toBe('over the window');
    expect(heads[1]!.className).toBe('num');
    const trs = [...table.querySelectorAll('tbody tr')];
    expect(trs.map((tr) => tr.getAttribute('data-name'))).toEqual(['a', 'b']);
    expect(trs.map((tr) => [...tr.children].map((td) => `${td.className}:${td.textContent}`))).toEqual([
      ['mono:a', 'num:0'],
      ['mono:b', 'num bad:2'],
    ]);
    expect(screen.queryByTestId('t-empty')).toBeNull();
  });

  it('has no header row when no column has a head', () => {
    render(() => (
      <DataTable
        testid="t"
        rows={[{ name: 'a', errors: 1 }]}
        columns={[{ cell: (r: Row) => r.name }]}
        empty="none"
      />
    ));
    expect(screen.getByTestId('t').querySelector('thead')).toBeNull();
    expect(screen.getByTestId('t').textContent).toBe('a');
  });

  it('shows the empty text instead of a table without rows', () => {
    render(() => <DataTable testid="t" rows={[]} columns={COLUMNS} empty="Nothing yet." />);
    expect(screen.queryByTestId('t')).toBeNull();
    expect(screen.getByTestId('t-empty').textContent).toBe('Nothing yet.');
  });
});
