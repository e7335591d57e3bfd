import { describe, expect, it } from 'vitest';
import { callbackInteractionId, routeTemplate, statusClass } from './route-template';

describe('routeTemplate', () => {
  it.each([
    ['/api/v10/channels/123456789012345678/messages?limit=5', '/channels/:id/messages'],
    ['/channels/42/messages/43', '/channels/:id/messages/:id'],
    ['/interactions/1234567/aW50ZXJhY3Rpb24.token-with_chars/callback', '/interactions/:id/:token/callback'],
    ['/webhooks/99/some.interaction.token/messages/@original', '/webhooks/:id/:token/messages/@original'],
    ['/channels/1/messages/2/reactions/%F0%9F%91%8D/@me', '/channels/:id/messages/:id/reactions/:reaction'],
    ['/applications/5/guilds/6/commands', '/applications/:id/guilds/:id/commands'],
    ['/gateway/bot', '/gateway/bot'],
    ['/webhooks/1/tok/messages/%40original', '/webhooks/:id/:token/messages/@original'],
    ['/api/v10', '/'],
  ])('%s → %s', (path, route) => {
    expect(routeTemplate(path)).toBe(route);
  });

  it('never lets an id or a token through, whatever the path', () => {
    for (let i = 0; i < 200; i++) {
      const id = String(10 ** 5 + i * 7919);
      const route = routeTemplate(`/api/v10/guilds/${id}/members/${id}`);
      expect(route).not.toMatch(/\d{3,}/);
    }
  });

  it('extracts the interaction id of a callback only', () => {
    expect(callbackInteractionId('/interactions/777/tok/callback')).toBe('777');
    expect(callbackInteractionId('/webhooks/1/tok')).toBeUndefined();
    expect(callbackInteractionId('/api/v10/interactions/1400000000000000000/aW50/callback')).toBe(
      '1400000000000000000',
    );
  });

  it('accepts exactly the shape …/interactions/<id>/<token>/callback', () => {
    const refused = [
      '/interactions//tok/callback', // no id
      '/interactions/12//callback', // empty token
      '/interactions/12/callback', // no token
      '/interactions/12/tok/extra/callback', // two segments
      '/interactions/12/tok/callback/', // trailing slash
      '/interactions/12/tok/callbacks',
      '/channels/12/messages/callback',
      '/callback',
      '',
    ];
    for (const path of refused) expect(callbackInteractionId(path), path).toBeUndefined();
    expect(callbackInteractionId('/interactions/0/t/callback')).toBe('0');
    // The id as it stands: it only ever counts when it is exactly a tracked interaction's.
    expect(callbackInteractionId('/interactions/12a/tok/callback')).toBe('12a');
    expect(callbackInteractionId('/a/callback?/interactions/1/t/callback')).toBeUndefined();
    // discord.js asks for `with_response` in the query; the query is not part of the shape.
    expect(callbackInteractionId('/interactions/12/tok/callback?with_response=false')).toBe('12');
    expect(callbackInteractionId('/interactions/12/tok/callback?next=/x/callback')).toBe('12');
    expect(callbackInteractionId('/interactions/12/tok/callbacks?with_response=true')).toBeUndefined();
    expect(callbackInteractionId('/interactions/12/tok?x=/callback')).toBeUndefined();
    expect(callbackInteractionId('/channels/1?next=/interactions/12/tok/callback')).toBeUndefined();
    // The request strategy sees whole URLs.
    expect(
      callbackInteractionId('https://discord.com/api/v10/interactions/12/tok/callback?with_response=false'),
    ).toBe('12');
  });

  it('classifies statuses', () => {
    expect([204, 429, 503, 0].map(statusClass)).toEqual(['2xx', '4xx', '5xx', 'unknown']);
  });
});
