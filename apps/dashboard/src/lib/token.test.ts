import { describe, expect, it, vi } from 'vitest';
import { extractUrlToken, initialToken, TOKEN_KEY } from './token';

function memoryStorage(init: Record<string, string> = {}) {
  const data = new Map(Object.entries(init));
  return {
    getItem: (k: string) => data.get(k) ?? null,
    setItem: (k: string, v: string) => void data.set(k, v),
    removeItem: (k: string) => void data.delete(k),
    data,
  };
}

describe('extractUrlToken', () => {
  it('takes the token out and keeps the path, other parameters and the hash', () => {
    expect(extractUrlToken('http://bot:9191/dash/?a=1&token=s3cr%2Bt&b=2#/gateway')).toEqual({
      token: 's3cr+t',
      cleaned: '/dash/?a=1&b=2#/gateway',
    });
    expect(extractUrlToken('http://bot:9191/?token=abc')).toEqual({ token: 'abc', cleaned: '/' });
  });

  it('changes nothing without a token, and ignores an empty one', () => {
    expect(extractUrlToken('http://bot:9191/#/rest')).toEqual({ token: null, cleaned: null });
    expect(extractUrlToken('http://bot:9191/?token=')).toEqual({ token: null, cleaned: '/' });
  });
});

describe('initialToken', () => {
  it('prefers the URL token and removes it from the address bar', () => {
    const history = { replaceState: vi.fn() };
    const storage = memoryStorage({ [TOKEN_KEY]: 'old' });
    expect(initialToken({ href: 'http://h/?token=new#/overview' }, history, storage)).toEqual({
      token: 'new',
      stored: false,
    });
    expect(history.replaceState).toHaveBeenCalledWith(null, '', '/#/overview');
  });

  it('falls back to the stored token', () => {
    const history = { replaceState: vi.fn() };
    expect(initialToken({ href: 'http://h/' }, history, memoryStorage({ [TOKEN_KEY]: 'kept' }))).toEqual({
      token: 'kept',
      stored: true,
    });
    expect(history.replaceState).not.toHaveBeenCalled();
    const none = { token: null, stored: false };
    expect(initialToken({ href: 'http://h/' }, history, memoryStorage())).toEqual(none);
    expect(initialToken({ href: 'http://h/' }, null, null)).toEqual(none);
  });

  it('survives a storage that throws', () => {
    const storage = {
      getItem: () => {
        throw new Error('denied');
      },
      setItem() {},
      removeItem() {},
    };
    expect(initialToken({ href: 'http://h/' }, null, storage)).toEqual({ token: null, stored: false });
  });
});
