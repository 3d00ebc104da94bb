import { ApiErrorBody, SERVER_TIME_HEADER, type ApiErrorCode } from '../../../../shared/api/errors';
import { api, buildPath, type BodyOf, type ParamsOf, type ReplyOf, type RouteName } from '../../../../shared/api/routes';
import type { UserView } from '../../../../shared/api/auth';
import { fail, ok, type Result } from '../../../../shared/result';
import type { Logger } from '../logger';
import type { AuthStore } from './authStore';

/** Server codes plus the two the client adds: the server could not be reached, or it answered nonsense. */
export type ClientErrorCode = ApiErrorCode | 'network' | 'bad_reply';
export type ApiResult<T> = Result<T, ClientErrorCode>;

type ParamsArg<N extends RouteName> = ParamsOf<N> extends undefined ? { params?: undefined } : { params: ParamsOf<N> };
type BodyArg<N extends RouteName> = BodyOf<N> extends undefined ? { body?: undefined } : { body: BodyOf<N> };
export type CallArgs<N extends RouteName> = ParamsArg<N> & BodyArg<N>;

/** What the UI and the services need from the server; tests hand in fakes. */
export interface ApiClient {
  call<N extends RouteName>(name: N, args: CallArgs<N>): Promise<ApiResult<ReplyOf<N>>>;
  signIn(email: string, password: string): Promise<ApiResult<UserView>>;
  signOut(): Promise<void>;
  currentUser(): UserView | null;
  onUserChange(listener: (user: UserView | null) => void): () => void;
  serverUrl(): Promise<string>;
}

/** Receives every server timestamp so the section timer can estimate the server's clock. */
export interface TimeSampleSink {
  addSample(sentAt: number, receivedAt: number, serverTime: number): void;
}

export interface HttpApiClientOptions {
  readonly baseUrl: () => Promise<string>;
  readonly fetch: typeof fetch;
  readonly auth: AuthStore;
  readonly clock: TimeSampleSink;
  /** Monotonic milliseconds (`performance.now`). */
  readonly monotonicNow: () => number;
  readonly log: Logger;
}

/**
 * Calls the `api` route table by name. Replies are parsed with the route's schema, failures come
 * back as `{code, message}`. An expired access token is refreshed once (the refresh token is
 * single-use, so concurrent calls share one refresh) and the call is retried.
 */
export class HttpApiClient implements ApiClient {
  private refreshing: Promise<boolean> | null = null;

  constructor(private readonly o: HttpApiClientOptions) {}

  serverUrl(): Promise<string> {
    return this.o.baseUrl();
  }

  currentUser(): UserView | null {
    return this.o.auth.user();
  }

  onUserChange(listener: (user: UserView | null) => void): () => void {
    return this.o.auth.subscribe(listener);
  }

  /** The current access token (the live socket's `hello`), or null when nobody is signed in. */
  accessToken(): string | null {
    return this.o.auth.get()?.accessToken ?? null;
  }

  /** A new access token after a refused one, sharing the one refresh with concurrent API calls. */
  refreshAccessToken(): Promise<boolean> {
    return this.refreshOnce();
  }

  async signIn(email: string, password: string): Promise<ApiResult<UserView>> {
    const reply = await this.call('signIn', { body: { email, password } });
    if (!reply.ok) return reply;
    const { accessToken, refreshToken, user } = reply.value;
    this.o.auth.set({ accessToken, refreshToken, user });
    return ok(user);
  }

  async signOut(): Promise<void> {
    const stored = this.o.auth.get();
    this.o.auth.clear();
    if (!stored) return;
    const reply = await this.call('signOut', { body: { refreshToken: stored.refreshToken } });
    // Signing out locally is what matters to the learner; a server that missed it lets the token expire.
    if (!reply.ok) this.o.log.warn('sign-out not confirmed by server', { code: reply.error.code });
  }

  async call<N extends RouteName>(name: N, args: CallArgs<N>): Promise<ApiResult<ReplyOf<N>>> {
    return this.authenticated(name, () => this.send(name, args));
  }

  /**
   * Posts raw bytes (application/octet-stream) to a route that takes no JSON body, such as the
   * bandwidth probe; the reply is parsed like any other. The caller times it.
   */
  async postBytes<N extends RouteName>(name: N, args: ParamsArg<N>, bytes: Uint8Array): Promise<ApiResult<ReplyOf<N>>> {
    return this.authenticated(name, () => this.send(name, args as CallArgs<N>, bytes));
  }

  /**
   * Sends, refreshing an expired access token once. `unauthenticated` on a signed-in route means the
   * server ended this sign-in (signed out elsewhere, or its refresh token was used twice): the stored
   * tokens are dropped, so the app asks the learner to sign in again. The answer journal is kept apart
   * and sent after the new sign-in.
   */
  private async authenticated<T>(name: RouteName, send: () => Promise<ApiResult<T>>): Promise<ApiResult<T>> {
    if (api[name].auth === 'none') return send();
    const sentWith = this.o.auth.get()?.accessToken;
    const first = await send();
    if (first.ok) return first;
    if (first.error.code === 'unauthenticated') {
      this.endSignIn(sentWith);
      return first;
    }
    if (first.error.code !== 'token_expired') return first;
    const refreshed = await this.refreshOnce();
    if (!refreshed) return fail('unauthenticated', 'Your sign-in has expired. Sign in again.');
    const retriedWith = this.o.auth.get()?.accessToken;
    const second = await send();
    if (!second.ok && second.error.code === 'unauthenticated') this.endSignIn(retriedWith);
    return second;
  }

  /** Forgets the sign-in whose token was refused, never a newer one made while the request was out. */
  private endSignIn(refusedToken: string | undefined): void {
    if (refusedToken !== undefined && this.o.auth.get()?.accessToken === refusedToken) this.o.auth.clear();
  }

  private refreshOnce(): Promise<boolean> {
    this.refreshing ??= this.refresh().finally(() => {
      this.refreshing = null;
    });
    return this.refreshing;
  }

  private async refresh(): Promise<boolean> {
    const stored = this.o.auth.get();
    if (!stored) return false;
    const reply = await this.send('refresh', { body: { refreshToken: stored.refreshToken } });
    if (reply.ok) {
      this.o.auth.set({ ...stored, accessToken: reply.value.accessToken, refreshToken: reply.value.refreshToken });
      return true;
    }
    // A network failure keeps the tokens: the refresh may work once the link is back.
    if (reply.error.code !== 'network') this.o.auth.clear();
    return false;
  }

  private async send<N extends RouteName>(name: N, args: CallArgs<N>, raw?: Uint8Array): Promise<ApiResult<ReplyOf<N>>> {
    const spec = api[name];
    const base = (await this.o.baseUrl()).replace(/\/+$/, '');
    const url = base + buildPath(spec.path, args.params as Record<string, string> | undefined);
    const headers: Record<string, string> = { accept: 'application/json' };
    const token = spec.auth === 'none' ? undefined : this.o.auth.get()?.accessToken;
    if (token) headers.authorization = `Bearer ${token}`;
    let body: BodyInit | undefined;
    if (raw) {
      headers['content-type'] = 'application/octet-stream';
      body = raw as Uint8Array<ArrayBuffer>;
    } else if ('body' in spec) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(args.body ?? {});
    }

    const sentAt = this.o.monotonicNow();
    let response: Response;
    try {
      response = await this.o.fetch(url, { method: spec.method, headers, body, cache: 'no-store' });
    } catch (error) {
      this.o.log.warn('server unreachable', { route: name, error: String(error) });
      return fail('network', 'The server could not be reached.');
    }
    const receivedAt = this.o.monotonicNow();
    const stamp = Number(response.headers.get(SERVER_TIME_HEADER));
    if (response.headers.has(SERVER_TIME_HEADER) && Number.isFinite(stamp)) this.o.clock.addSample(sentAt, receivedAt, stamp);

    let json: unknown;
    try {
      json = response.status === 204 ? {} : await response.json();
    } catch (error) {
      this.o.log.warn('unreadable server reply', { route: name, status: response.status, error: String(error) });
      return fail(response.ok ? 'bad_reply' : 'network', `The server sent an unreadable reply (HTTP ${response.status}).`);
    }
    if (!response.ok) {
      const parsed = ApiErrorBody.safeParse(json);
      if (parsed.success) return fail(parsed.data.error.code, parsed.data.error.message);
      // A proxy or captive portal answering instead of the server: treat as not reachable.
      return fail(response.status >= 500 ? 'network' : 'bad_reply', `The server answered HTTP ${response.status}.`);
    }
    const parsed = spec.reply.safeParse(json);
    if (!parsed.success) {
      this.o.log.warn('server reply did not match its schema', { route: name });
      return fail('bad_reply', 'The server sent a reply this app does not understand.');
    }
    if (name === 'time') {
      // The body's stamp is readable even when CORS hides the header.
      const { serverTime } = parsed.data as ReplyOf<'time'>;
      this.o.clock.addSample(sentAt, receivedAt, serverTime);
    }
    return ok(parsed.data as ReplyOf<N>);
  }
}
