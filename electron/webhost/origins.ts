import type { AddressInfo } from 'node:net';

const LOOPBACK_NAMES = ['127.0.0.1', 'localhost', '[::1]'];

/**
 * The origins a page served by the web host can have: its listening address, and for a loopback
 * address every loopback spelling. A fixed list (not the request's Host header) also defeats DNS
 * rebinding, where a foreign name resolves to 127.0.0.1.
 */
export function allowedOrigins(address: AddressInfo | null): ReadonlySet<string> {
  if (address === null) return new Set();
  const host = formatHost(address.address);
  const isLoopback = host === '127.0.0.1' || host === '[::1]' || host.startsWith('127.');
  const names = isLoopback ? [host, ...LOOPBACK_NAMES] : [host];
  return new Set(names.map((name) => `http://${name}:${address.port}`));
}

/** An IPv6 address needs brackets inside a URL. */
export const formatHost = (address: string): string => (address.includes(':') ? `[${address}]` : address);
