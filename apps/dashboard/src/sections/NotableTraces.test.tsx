import { cleanup, render, screen, waitFor } from '@solidjs/testing-library';
import { afterEach, describe, expect, it } from 'vitest';
import { App } from '../App';
import { createDashboard } from '../state';
import { emptySnapshot, FakeServer } from '../test/fakes';

const LATE = '4bf92f3577b34da6a3ce929d0e0e4736';
const FAILED = '00f067aa0ba902b700f067aa0ba902b7';

function server(config: Record<string, unknown>) {
  const s = new FakeServer();
  s.config = { status: 200, body: { namespace: 'discord', intervalSeconds: 5, ...config } };
  s.traces = {
    status: 200,
    body: {
      traces: [
        {
          traceId: FAILED,
          time: 1_717_171_717_171,
          command: 'ban',
          type: 'application_command',
          outcome: 'error',
          durationMs: 120,
        },
        {
          traceId: LATE,
          time: 1_717_171_700_000,
          command: 'config set',
          type: 'application_command',
          outcome: 'late',
          durationMs: 3_412,
        },
      ],
    },
  };
  return s;
}

async function mount(s: FakeServer) {
  window.location.hash = '#/interactions';
  const deps = s.deps();
  render(() => <App dashboard={createDashboard(deps, deps.storage, 'secret')} />);
  // The sections render once the stream delivers its first frame.
  await waitFor(() => expect(s.lastSource).toBeDefined());
  s.lastSource!.send(emptySnapshot(Date.now()));
}

afterEach(() => {
  cleanup();
  window.location.hash = '';
});

describe('slow and failed interactions', () => {
  it('lists them newest first, each linked to the trace UI', async () => {
    const s = server({ sections: { traces: true }, traceUiUrl: 'http://jaeger:16686/trace/{traceId}' });
    await mount(s);
    const rows = await screen.findAllByTestId('notable-trace');
    expect(rows.map((r) => r.dataset.outcome)).toEqual(['error', 'late']);
    expect(rows[1]!.textContent).toContain('/config set');
    expect(rows[1]!.textContent).toContain('answered late');
    expect(rows[1]!.textContent).toContain('3.41 s');
    const link = rows[1]!.querySelector('a')!;
    expect(link.getAttribute('href')).toBe(`http://jaeger:16686/trace/${LATE}`);
    expect(link.getAttribute('rel')).toBe('noopener noreferrer');
    // Asked with the dashboard token, like every /api/* request.
    expect(s.requests.find((r) => r.url === '/api/traces')?.authorization).toBe('Bearer secret');
  });

  it('shows the trace ids without links when no trace UI is configured', async () => {
    await mount(server({ sections: { traces: true } }));
    const rows = await screen.findAllByTestId('notable-trace');
    expect(rows[0]!.querySelector('a')).toBeNull();
    expect(rows[0]!.textContent).toContain(FAILED);
  });

  it('is not there when tracing is off', async () => {
    const s = server({ sections: { traces: false } });
    await mount(s);
    await screen.findByTestId('section-interactions');
    expect(screen.queryByTestId('notable-traces')).toBeNull();
    expect(s.requests.some((r) => r.url === '/api/traces')).toBe(false);
  });
});
