/**
 * Which URLs the translator side view may load.
 *
 * The programme allows "one of three approved translators". The desktop host asks this module on every
 * main-frame navigation and redirect (`decideNavigation`) and on every request the page makes
 * (`decideSubresource`). Everything here is an allow-list: exact hosts, https only, default port only.
 *
 * shared/ has no DOM and no Node, so there is no `URL` class: `parseHttpsUrl` is a deliberately strict
 * parser. Where a browser would silently repair a URL (tabs and newlines removed, backslashes read as
 * slashes, `%2e` in the host decoded, extra slashes skipped) we refuse instead; where the repair cannot
 * be refused without breaking normal pages (dot segments such as `/translator/%2e%2e/search` in the
 * path) we apply it exactly as the WHATWG URL standard does and decide on the result. URLs coming from
 * Chromium are already canonical, so refusing the odd forms never blocks a real translator page.
 */

export const translatorIds = ['google', 'youdao', 'bing'] as const;
export type TranslatorId = (typeof translatorIds)[number];

export interface MainFrameRule {
  /** Exact, lower-case host: no wildcards, no subdomains. */
  readonly host: string;
  /** When set, the path must equal it or continue with `/` (Bing serves search on the same host). */
  readonly pathPrefix?: string;
}

export interface TranslatorSpec {
  readonly id: TranslatorId;
  readonly displayName: string;
  /** Where the side view opens. */
  readonly homeUrl: string;
  /** Where the side view's top frame may go (navigations and redirects). */
  readonly mainFrame: readonly MainFrameRule[];
  /**
   * What the page needs to work: its own host, its API and its static/font/image CDNs. Exact hosts,
   * never `*.google.com`-style wildcards: a broad pattern would let the page reach search, mail or
   * chat. Analytics, sign-in and ads hosts are left out on purpose; the page works without them.
   * The lists follow the public pages' structure and could not be checked live here (no internet):
   * confirm them against the real pages before a final, and add a host only with the reason.
   */
  readonly subresourceHosts: readonly string[];
}

export const translators: Readonly<Record<TranslatorId, TranslatorSpec>> = {
  google: {
    id: 'google',
    displayName: 'Google Translate',
    homeUrl: 'https://translate.google.com/',
    mainFrame: [{ host: 'translate.google.com' }],
    subresourceHosts: [
      'translate.google.com', // the page, its batchexecute API and text-to-speech
      'translate.googleapis.com', // translation API used by the page
      'translate-pa.googleapis.com', // newer translation API endpoint
      'www.gstatic.com', // scripts, styles, icons
      'ssl.gstatic.com', // UI images
      'fonts.gstatic.com', // font files
      'fonts.googleapis.com', // font stylesheets
    ],
  },
  youdao: {
    id: 'youdao',
    displayName: 'Youdao Translate',
    homeUrl: 'https://fanyi.youdao.com/',
    mainFrame: [{ host: 'fanyi.youdao.com' }],
    subresourceHosts: [
      'fanyi.youdao.com', // the page and its translation API
      'dict.youdao.com', // dictionary lookups and pronunciation audio
      'shared.ydstatic.com', // scripts, styles, images
      'shared-https.ydstatic.com', // the same static files over https
      'ydlunacommon-cdn.nosdn.127.net', // the current page's build assets (NetEase CDN)
    ],
  },
  bing: {
    id: 'bing',
    displayName: 'Bing Translator',
    homeUrl: 'https://www.bing.com/translator',
    mainFrame: [
      { host: 'www.bing.com', pathPrefix: '/translator' },
      { host: 'cn.bing.com', pathPrefix: '/translator' }, // where www.bing.com redirects in mainland China
    ],
    subresourceHosts: [
      'www.bing.com', // the page and its translation API (/ttranslatev3, /tfetspktok)
      'cn.bing.com', // the same from mainland China
      'r.bing.com', // scripts and styles
      'th.bing.com', // images
    ],
  },
};

/** Stable codes: logs and the proctor's event list use them; the UI turns them into sentences. */
export type NavigationReason =
  | 'allowed'
  | 'unknown-translator'
  | 'not-absolute'
  | 'whitespace-or-control'
  | 'scheme-not-allowed'
  | 'authority-confusion'
  | 'backslash'
  | 'userinfo'
  | 'bad-port'
  | 'non-default-port'
  | 'ip-literal'
  | 'encoded-host'
  | 'non-ascii-host'
  | 'invalid-host'
  | 'punycode-host'
  | 'host-not-allowed'
  | 'encoded-slash'
  | 'path-not-allowed';

export interface NavigationDecision {
  readonly allowed: boolean;
  readonly reason: NavigationReason;
}

export interface ParsedHttpsUrl {
  /** Lower case, one trailing dot removed. */
  readonly host: string;
  /** Dot segments resolved as a browser does; always starts with `/`. */
  readonly path: string;
  /** Without the `?`; '' when absent. */
  readonly query: string;
  /** Without the `#`; '' when absent. */
  readonly fragment: string;
}

export type ParseResult = { readonly ok: true; readonly url: ParsedHttpsUrl } | { readonly ok: false; readonly reason: NavigationReason };

const fail = (reason: NavigationReason): ParseResult => ({ ok: false, reason });

/** Dot segments as the WHATWG URL standard spells them (percent-encoded dots count). */
const singleDot = new Set(['.', '%2e']);
const doubleDot = new Set(['..', '.%2e', '%2e.', '%2e%2e']);

function resolveDotSegments(rawPath: string): string {
  const segments = rawPath.slice(1).split('/');
  const out: string[] = [];
  segments.forEach((segment, i) => {
    const lower = segment.toLowerCase();
    const last = i === segments.length - 1;
    if (doubleDot.has(lower)) {
      out.pop();
      if (last) out.push('');
    } else if (singleDot.has(lower)) {
      if (last) out.push('');
    } else {
      out.push(segment);
    }
  });
  return `/${out.join('/')}`;
}

/** A host the browser would read as an IPv4 address (decimal, octal or hex last label). */
const looksLikeIpv4 = (labels: readonly string[]): boolean => {
  const lastLabel = labels[labels.length - 1] ?? '';
  return /^[0-9]+$/.test(lastLabel) || /^0x[0-9a-f]*$/.test(lastLabel);
};

function parseHost(authority: string): { ok: true; host: string } | { ok: false; reason: NavigationReason } {
  if (authority.includes('@')) return { ok: false, reason: 'userinfo' };
  if (authority.startsWith('[')) return { ok: false, reason: 'ip-literal' };
  const colon = authority.lastIndexOf(':');
  const rawHost = colon === -1 ? authority : authority.slice(0, colon);
  if (colon !== -1) {
    const port = authority.slice(colon + 1);
    if (!/^[0-9]*$/.test(port) || rawHost.includes(':')) return { ok: false, reason: 'bad-port' };
    // An empty port, `443` and `0443` all mean the default port to a browser.
    if (port !== '' && Number(port) !== 443) return { ok: false, reason: 'non-default-port' };
  }
  if (rawHost.includes('%')) return { ok: false, reason: 'encoded-host' };
  if ([...rawHost].some((ch) => ch > '~')) return { ok: false, reason: 'non-ascii-host' };
  const lower = rawHost.toLowerCase();
  const host = lower.endsWith('.') ? lower.slice(0, -1) : lower;
  if (host === '' || !/^[a-z0-9.-]+$/.test(host)) return { ok: false, reason: 'invalid-host' };
  const labels = host.split('.');
  if (labels.some((label) => label === '')) return { ok: false, reason: 'invalid-host' };
  if (looksLikeIpv4(labels)) return { ok: false, reason: 'ip-literal' };
  return { ok: true, host };
}

/** Parses an absolute `https:` URL strictly; see the module comment for what is refused and why. */
export function parseHttpsUrl(raw: string): ParseResult {
  // Browsers drop tabs/newlines anywhere and trim spaces/controls: `java\nscript:` becomes `javascript:`.
  if ([...raw].some((ch) => ch <= ' ' || ch === '\u007f')) return fail('whitespace-or-control');
  const scheme = /^([a-zA-Z][a-zA-Z0-9+.-]*):/.exec(raw);
  if (!scheme) return fail('not-absolute');
  if (scheme[1]?.toLowerCase() !== 'https') return fail('scheme-not-allowed');
  const afterScheme = raw.slice(scheme[0].length);

  const hashAt = afterScheme.indexOf('#');
  const beforeHash = hashAt === -1 ? afterScheme : afterScheme.slice(0, hashAt);
  const fragment = hashAt === -1 ? '' : afterScheme.slice(hashAt + 1);
  const queryAt = beforeHash.indexOf('?');
  const hierarchical = queryAt === -1 ? beforeHash : beforeHash.slice(0, queryAt);
  const query = queryAt === -1 ? '' : beforeHash.slice(queryAt + 1);

  // A browser reads `\` as `/` and skips any run of slashes after `https:`; we accept only `//host`.
  if (!hierarchical.startsWith('//') || hierarchical.startsWith('///')) {
    return fail(hierarchical.includes('\\') ? 'backslash' : 'authority-confusion');
  }
  if (hierarchical.includes('\\')) return fail('backslash');
  const rest = hierarchical.slice(2);
  const slashAt = rest.indexOf('/');
  const authority = slashAt === -1 ? rest : rest.slice(0, slashAt);
  const rawPath = slashAt === -1 ? '/' : rest.slice(slashAt);

  const host = parseHost(authority);
  if (!host.ok) return fail(host.reason);
  // A server may decode `%2f` after we decided: `/translator/..%2fsearch` would become `/search`.
  if (/%(2f|5c)/i.test(rawPath)) return fail('encoded-slash');
  return { ok: true, url: { host: host.host, path: resolveDotSegments(rawPath), query, fragment } };
}

const isTranslatorId = (id: string): id is TranslatorId => (translatorIds as readonly string[]).includes(id);

const pathMatches = (path: string, prefix: string | undefined): boolean =>
  prefix === undefined || path === prefix || path.startsWith(`${prefix}/`);

/** Main-frame navigations and redirects of the side view showing `translator`. */
export function decideNavigation(url: string, translator: TranslatorId): NavigationDecision {
  if (!isTranslatorId(translator)) return { allowed: false, reason: 'unknown-translator' };
  const parsed = parseHttpsUrl(url);
  if (!parsed.ok) return { allowed: false, reason: parsed.reason };
  const { host, path } = parsed.url;
  const rules = translators[translator].mainFrame.filter((rule) => rule.host === host);
  if (rules.length === 0) {
    const punycode = host.split('.').some((label) => label.startsWith('xn--'));
    return { allowed: false, reason: punycode ? 'punycode-host' : 'host-not-allowed' };
  }
  if (!rules.some((rule) => pathMatches(path, rule.pathPrefix))) return { allowed: false, reason: 'path-not-allowed' };
  return { allowed: true, reason: 'allowed' };
}

/** Requests the translator page makes (scripts, styles, fonts, images, API calls): its own hosts only. */
export function decideSubresource(url: string, translator: TranslatorId): boolean {
  if (!isTranslatorId(translator)) return false;
  const parsed = parseHttpsUrl(url);
  return parsed.ok && translators[translator].subresourceHosts.includes(parsed.url.host);
}

export interface TranslatorPolicy {
  /** `one-of` (the default): the learner picks one and only it is available. */
  readonly mode: 'one-of' | 'any-of';
  /** Defaults to all three. */
  readonly allowed?: readonly TranslatorId[];
}

/**
 * The translators available in this attempt, in the canonical order. `one-of` without a choice, or with
 * a choice the exam does not allow, yields none: the start screen must ask again rather than guess.
 */
export function allowedTranslators(policy: TranslatorPolicy, chosen?: TranslatorId): TranslatorId[] {
  const permitted = translatorIds.filter((id) => (policy.allowed ?? translatorIds).includes(id));
  if (policy.mode === 'any-of') return permitted;
  return chosen !== undefined && permitted.includes(chosen) ? [chosen] : [];
}
