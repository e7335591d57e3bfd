// Where the dashboard token comes from and where it is kept. It is only ever sent to this
// page's own /api/* routes.

export const TOKEN_KEY = 'argus.dashboardToken';

export interface StorageLike {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

/** localStorage when the browser allows it (private modes and sandboxes may throw). */
export function safeStorage(): StorageLike | null {
  try {
    const s = globalThis.localStorage;
    if (!s) return null;
    const probe = '__argus_probe__';
    s.setItem(probe, '1');
    s.removeItem(probe);
    return s;
  } catch {
    return null;
  }
}

/**
 * Takes `?token=` out of a page URL. Returns the token (null when absent or empty) and the URL
 * to show instead, with every other parameter and the hash kept.
 */
export function extractUrlToken(href: string): { token: string | null; cleaned: string | null } {
  let url: URL;
  try {
    url = new URL(href);
  } catch {
    return { token: null, cleaned: null };
  }
  if (!url.searchParams.has('token')) return { token: null, cleaned: null };
  const token = url.searchParams.get('token') ?? '';
  url.searchParams.delete('token');
  const search = url.searchParams.toString();
  const cleaned = `${url.pathname}${search ? `?${search}` : ''}${url.hash}`;
  return { token: token.trim() === '' ? null : token.trim(), cleaned };
}

/** The token to start with, and whether it came from storage (then it is never written back). */
export interface InitialToken {
  token: string | null;
  stored: boolean;
}

/**
 * The token to start with: `?token=` in the address bar (removed from it at once with
 * history.replaceState so it does not linger in history or screenshots), else the stored one.
 */
export function initialToken(
  loc: { href: string },
  history: { replaceState(data: unknown, unused: string, url?: string): void } | null,
  storage: StorageLike | null,
): InitialToken {
  const { token, cleaned } = extractUrlToken(loc.href);
  if (cleaned !== null && history) {
    try {
      history.replaceState(null, '', cleaned);
    } catch {
      // A sandboxed frame may refuse; the token still works.
    }
  }
  if (token) return { token, stored: false };
  try {
    const stored = storage?.getItem(TOKEN_KEY);
    return stored && stored.trim() !== '' ? { token: stored, stored: true } : { token: null, stored: false };
  } catch {
    return { token: null, stored: false };
  }
}
