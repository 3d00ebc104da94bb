/**
 * Sent on every API response, whatever writes it (Fastify replies, errors, 404s, media, the raw tus
 * endpoint): browsers never sniff a type other than the one declared, never pass a URL carrying a
 * playback token on as a Referer, and no browser or proxy keeps a copy of answers, tokens or media.
 */
export const API_RESPONSE_HEADERS: Readonly<Record<string, string>> = {
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'cache-control': 'no-store',
};
