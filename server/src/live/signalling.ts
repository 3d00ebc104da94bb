// One signalling frame: parsed with the contract's schemas, `hello` first, then the role table and
// the method's handler. Errors become `{ ok: false, error }` replies with the contract's codes.
import type { RawData } from 'ws';
import { LiveCloseCode, type LiveMethod, LiveRequestFrame, liveMethods, type UserView } from '../../../shared/api';
import { handlers, type LiveContext, METHOD_ROLES } from './handlers';
import { LiveError, type Peer } from './peer';

/** What `hello` needs besides the handlers' context. */
export interface SignallingContext {
  /** The live context, or null while live proctoring is unavailable (`hello` then says so). */
  live(): LiveContext | null;
  /** Resolves an access token to its user (the same check as the HTTP API's bearer tokens). */
  authenticate(accessToken: string): Promise<UserView>;
  /** Called once a staff socket's `watch` has been answered. */
  watching(peer: Peer): void;
  log: { error(obj: object, msg: string): void };
}

/** WebSocket close code for a frame that is not JSON text of the request shape. */
const INVALID_FRAME = 1007;

const isMethod = (name: string): name is LiveMethod => Object.hasOwn(liveMethods, name);

/** mediasoup's own validation errors (bad RTP or DTLS parameters) are the caller's mistake. */
function errorReply(error: unknown): LiveError | null {
  if (error instanceof LiveError) return error;
  const name = (error as Error | undefined)?.name;
  if (name === 'TypeError' || name === 'UnsupportedError') return new LiveError('bad_request', (error as Error).message);
  if (name === 'InvalidStateError') return new LiveError('live_unavailable', 'The media server restarted. Set up again.');
  return null;
}

export async function handleFrame(ctx: SignallingContext, peer: Peer, raw: RawData, isBinary: boolean): Promise<void> {
  if (!peer.open) return;
  let frame: LiveRequestFrame;
  try {
    if (isBinary) throw new Error('binary');
    const parsed = LiveRequestFrame.safeParse(JSON.parse(rawText(raw)));
    if (!parsed.success) throw new Error('shape');
    frame = parsed.data;
  } catch {
    peer.close(peer.user ? INVALID_FRAME : LiveCloseCode.unauthorised, 'invalid frame');
    return;
  }

  if (peer.user === null) {
    if (frame.method !== 'hello') {
      peer.close(LiveCloseCode.unauthorised, 'hello first');
      return;
    }
    await hello(ctx, peer, frame);
    return;
  }

  const { id, method } = frame;
  if (!isMethod(method)) return peer.fail(id, 'bad_request', `Unknown method "${method}".`);
  if (method === 'hello') return peer.fail(id, 'bad_request', 'This connection has already said hello.');
  if (!METHOD_ROLES[method].includes(peer.user.role)) return peer.fail(id, 'forbidden', `A ${peer.user.role} may not ${method}.`);
  const data = liveMethods[method].request.safeParse(frame.data);
  if (!data.success) return peer.fail(id, 'bad_request', data.error.issues.map((i) => `${i.path.join('.') || 'data'}: ${i.message}`).join('; '));
  const live = ctx.live();
  if (!live) return peer.fail(id, 'live_unavailable', 'Live proctoring is not available on this server now.');

  try {
    const handler = handlers[method] as (c: LiveContext, p: Peer, d: unknown) => Promise<unknown>;
    const reply = await handler(live, peer, data.data);
    peer.reply(id, reply);
    if (method === 'watch') ctx.watching(peer);
  } catch (error) {
    const known = errorReply(error);
    if (known) return peer.fail(id, known.code, known.message);
    ctx.log.error({ err: error, method }, 'live: request failed');
    peer.fail(id, 'internal', 'Something went wrong on the server.');
  }
}

async function hello(ctx: SignallingContext, peer: Peer, frame: LiveRequestFrame): Promise<void> {
  const data = liveMethods.hello.request.safeParse(frame.data);
  let user: UserView | null = null;
  if (data.success) user = await ctx.authenticate(data.data.accessToken).catch(() => null);
  if (!peer.open) return;
  if (user === null) {
    peer.fail(frame.id, 'unauthorised', 'Your sign-in is not valid. Sign in again.');
    peer.close(LiveCloseCode.unauthorised, 'unauthorised');
    return;
  }
  const router = ctx.live()?.pool.anyRouter() ?? null;
  if (!router) {
    peer.fail(frame.id, 'live_unavailable', 'Live proctoring is not available on this server now.');
    peer.close(LiveCloseCode.goingAway, 'live unavailable');
    return;
  }
  peer.user = user;
  peer.reply(frame.id, { role: user.role, routerRtpCapabilities: { ...router.rtpCapabilities } });
}

function rawText(raw: RawData): string {
  if (Buffer.isBuffer(raw)) return raw.toString('utf8');
  if (Array.isArray(raw)) return Buffer.concat(raw).toString('utf8');
  return Buffer.from(raw).toString('utf8');
}
