import type { SessionView } from '../../shared/api/sessions';

/** Direct calls to the review server, to check from the outside what the UI claims. */
export async function signInApi(serverUrl: string, email: string, password: string): Promise<string> {
  const res = await fetch(`${serverUrl}/api/auth/sign-in`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password }),
  });
  if (!res.ok) throw new Error(`sign-in failed: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { accessToken: string }).accessToken;
}

export async function getSession(serverUrl: string, token: string, sessionId: string): Promise<SessionView> {
  const res = await fetch(`${serverUrl}/api/sessions/${sessionId}`, { headers: { authorization: `Bearer ${token}` } });
  if (!res.ok) throw new Error(`get session failed: ${res.status} ${await res.text()}`);
  return (await res.json()) as SessionView;
}

export async function postJson(serverUrl: string, token: string, path: string, body: unknown): Promise<{ status: number; json: unknown }> {
  const res = await fetch(`${serverUrl}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify(body),
  });
  return { status: res.status, json: await res.json() };
}

export function sessionIdFromUrl(url: string): string {
  const match = /#\/sessions\/([^/?]+)/.exec(url);
  if (!match?.[1]) throw new Error(`not on a session page: ${url}`);
  return match[1];
}

export const demoProctor = { email: 'proctor@invigil.test', password: 'proctor-demo-1' };

export interface Manifest {
  takes: { index: number; startedAt: string; endedAt: string | null; endReason: string | null; chunks: number; bytes: number; durationMs: number | null; playable: boolean }[];
  gaps: { afterTake: number; from: string; to: string; reason: string }[];
  bytes: number;
  chunks: number;
  verified: boolean;
}

export async function getManifest(serverUrl: string, token: string, sessionId: string): Promise<Manifest> {
  const res = await fetch(`${serverUrl}/api/sessions/${sessionId}/recording`, { headers: { authorization: `Bearer ${token}` } });
  if (!res.ok) throw new Error(`manifest: ${res.status} ${await res.text()}`);
  return (await res.json()) as Manifest;
}
