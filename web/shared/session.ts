// What the pages share: the API key remembered in this browser (localStorage), sent as
// `Authorization: Bearer <key>`, and a GraphQL POST that always carries Apollo's
// CSRF-prevention header.
const KEY_STORAGE = 'att.apiKey';

export function apiKey(): string {
  try {
    return localStorage.getItem(KEY_STORAGE) ?? '';
  } catch {
    return '';
  }
}

export function setApiKey(key: string): void {
  try {
    if (key) localStorage.setItem(KEY_STORAGE, key);
    else localStorage.removeItem(KEY_STORAGE);
  } catch {
    // storage disabled: the key lasts as long as the page
  }
}

/** Headers for every request: the CSRF-prevention header, and the key when one is set. */
export function requestHeaders(): Record<string, string> {
  const headers: Record<string, string> = { 'apollo-require-preflight': 'true' };
  const key = apiKey().trim();
  if (key) headers.authorization = `Bearer ${key}`;
  return headers;
}

export interface GraphQLResult<T = unknown> {
  data?: T | null;
  errors?: { message: string; extensions?: Record<string, unknown> }[];
}

/** POSTs one operation to /graphql; a non-JSON answer becomes a GraphQL-shaped error. */
export async function postGraphQL<T = unknown>(body: object, extraHeaders: Record<string, string> = {}): Promise<GraphQLResult<T>> {
  const res = await fetch(new URL('/graphql', location.href), {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json', ...requestHeaders(), ...extraHeaders },
    body: JSON.stringify(body),
  });
  const text = await res.text();
  try {
    return JSON.parse(text) as GraphQLResult<T>;
  } catch {
    return { errors: [{ message: `HTTP ${res.status}: ${text.slice(0, 500)}` }] };
  }
}

/** Binds the page's `#api-key` field to the stored key. */
export function bindKeyField(onChange?: () => void): void {
  const input = document.getElementById('api-key') as HTMLInputElement | null;
  if (!input) return;
  input.value = apiKey();
  input.addEventListener('input', () => {
    setApiKey(input.value.trim());
    onChange?.();
  });
}
