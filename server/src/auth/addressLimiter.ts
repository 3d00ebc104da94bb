import type { FastifyRequest } from 'fastify';
import { ApiError } from '../errors';

/**
 * Counts sign-in attempts per client address in fixed windows. @fastify/rate-limit runs one limiter
 * per request, and the route's own limiter counts per address *and email*; this one caps spraying
 * many emails from one address, before the body is read and before any password is hashed.
 */
export function createAddressLimiter(options: { max: number; windowMs: number; clock: () => number }) {
  const windows = new Map<string, { start: number; count: number }>();
  return async (request: FastifyRequest): Promise<void> => {
    const now = options.clock();
    if (windows.size > 10_000) {
      for (const [address, w] of windows) if (now - w.start >= options.windowMs) windows.delete(address);
    }
    const current = windows.get(request.ip);
    const window = current && now - current.start < options.windowMs ? current : { start: now, count: 0 };
    window.count += 1;
    windows.set(request.ip, window);
    if (window.count > options.max) {
      const seconds = Math.ceil((window.start + options.windowMs - now) / 1000);
      throw new ApiError('rate_limited', `Too many sign-in attempts from this network. Wait ${seconds} seconds and try again.`);
    }
  };
}
