// On a real discord.js Client's REST manager that never reaches Discord: its request strategy is
// replaced by one that answers at once, so every attempt the manager makes is seen here.
import { EventEmitter } from 'node:events';
import { Client, GatewayIntentBits } from 'discord.js';
import { afterEach, describe, expect, it } from 'vitest';
import { observeRestResponses, restPathOf } from './rest-responses';

type Strategy = (url: string, init: { method?: string }) => Promise<unknown>;
const clients: Client[] = [];
afterEach(async () => {
  for (const client of clients.splice(0)) await client.destroy();
});

function clientAnswering(statuses: number[]) {
  const client = new Client({ intents: [GatewayIntentBits.Guilds], rest: { retries: 2 } });
  clients.push(client);
  client.rest.setToken('x.y.z');
  const urls: string[] = [];
  const options = (client.rest as unknown as { options: { makeRequest: Strategy } }).options;
  options.makeRequest = async (url) => {
    urls.push(url);
    const status = statuses.shift() ?? 200;
    if (status === 204) return new Response(null, { status });
    return new Response('{}', { status, headers: { 'content-type': 'application/json' } });
  };
  return { client, urls, options };
}

describe('observeRestResponses', () => {
  it('sees every attempt with its method, URL and status, and clones nothing', async () => {
    const { client, options } = clientAnswering([500, 200, 204]);
    const seen: [unknown, string, number][] = [];
    const stop = observeRestResponses(
      client,
      (method, path, status) => seen.push([method, path, status]),
      (e) => {
        throw e;
      },
    );
    await client.rest.post('/channels/1/messages', { body: { content: 'hi' } });
    await client.rest.post('/interactions/9/tok/callback', {
      body: {},
      auth: false,
      query: new URLSearchParams({ with_response: 'false' }),
    });
    expect(seen).toEqual([
      ['POST', 'https://discord.com/api/v10/channels/1/messages', 500],
      ['POST', 'https://discord.com/api/v10/channels/1/messages', 200],
      ['POST', 'https://discord.com/api/v10/interactions/9/tok/callback?with_response=false', 204],
    ]);
    // No `response` listener, so @discordjs/rest never clones a response for Argus.
    expect(client.rest.listenerCount('response')).toBe(0);
    const wrapped = options.makeRequest;
    stop();
    expect(options.makeRequest).not.toBe(wrapped);
    await client.rest.get('/gateway');
    expect(seen).toHaveLength(3);
  });

  it('passes failures through unseen, and reports a throwing observer without failing the request', async () => {
    const { client, options } = clientAnswering([]);
    const reported: unknown[] = [];
    const inner = options.makeRequest;
    options.makeRequest = async (url, init) => {
      if (url.includes('/fail')) throw new TypeError('fetch failed');
      return inner(url, init);
    };
    const stop = observeRestResponses(
      client,
      () => {
        throw new Error('observer broke');
      },
      (error) => reported.push(error),
    );
    await expect(client.rest.get('/fail')).rejects.toThrow('fetch failed');
    expect(reported).toEqual([]);
    await expect(client.rest.get('/gateway')).resolves.toEqual({});
    expect(reported).toHaveLength(1);
    stop();
  });

  it('stays a pass-through when something wrapped the strategy after it', async () => {
    const { client, options } = clientAnswering([]);
    const seen: number[] = [];
    const stop = observeRestResponses(
      client,
      (_m, _p, status) => seen.push(status),
      () => {},
    );
    const ours = options.makeRequest;
    const theirs: Strategy = (url, init) => ours(url, init);
    options.makeRequest = theirs;
    stop();
    expect(options.makeRequest).toBe(theirs);
    await client.rest.get('/gateway');
    expect(seen).toEqual([]);
  });

  it('passes through a strategy that answers without a promise', () => {
    const { client, options } = clientAnswering([]);
    const answer = { status: 200 };
    options.makeRequest = (() => answer) as unknown as Strategy;
    const seen: number[] = [];
    const stop = observeRestResponses(
      client,
      (_m, _u, status) => seen.push(status),
      () => {},
    );
    expect(options.makeRequest('https://discord.com/api/v10/gateway', { method: 'GET' })).toBe(answer);
    expect(seen).toEqual([]);
    stop();
  });

  it('falls back to the response event on a manager without a request strategy', () => {
    const rest = new EventEmitter();
    const seen: [unknown, string, number][] = [];
    const stop = observeRestResponses(
      { rest } as never,
      (m, p, s) => seen.push([m, p, s]),
      () => {},
    );
    rest.emit('response', { method: 'GET', path: '/gateway' }, { status: 200 });
    rest.emit('response', null, null);
    stop();
    rest.emit('response', { method: 'GET', path: '/gateway' }, { status: 200 });
    expect(seen).toEqual([
      ['GET', '/gateway', 200],
      [undefined, '', 0],
    ]);
  });
});

describe('restPathOf', () => {
  it.each([
    [
      'https://discord.com/api/v10/channels/1/messages?limit=5',
      'https://discord.com/api',
      '/channels/1/messages?limit=5',
    ],
    ['https://discord.com/api/v10', 'https://discord.com/api', '/'],
    ['https://discord.com/api/v10?x=1', 'https://discord.com/api', '?x=1'],
    ['https://discord.com/api/gateway', 'https://discord.com/api', '/gateway'],
    ['https://discord.com/api/versions/1', 'https://discord.com/api', '/versions/1'],
    ['http://proxy.local:8080/api/v9/users/@me', 'https://discord.com/api', '/api/v9/users/@me'],
    ['http://proxy.local:8080', undefined, '/'],
    ['/channels/1', 42, '/channels/1'],
  ])('%s (api %s) → %s', (url, api, path) => {
    expect(restPathOf(url, api)).toBe(path);
  });
});
