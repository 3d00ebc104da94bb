import { describe, expect, it } from 'vitest';
import type { NavigationReason, TranslatorId } from './translatorUrls';
import { allowedTranslators, decideNavigation, decideSubresource, parseHttpsUrl, translatorIds, translators } from './translatorUrls';

type Row = readonly [url: string, reason: NavigationReason];

const allowed = (...urls: string[]): Row[] => urls.map((url) => [url, 'allowed'] as const);

/** The normal pages learners reach, with query strings and fragments as the sites write them. */
const normalPages: Record<TranslatorId, Row[]> = {
  google: allowed(
    'https://translate.google.com/',
    'https://translate.google.com',
    'https://translate.google.com/?sl=en&tl=zh-CN&text=hello%20world&op=translate',
    'https://translate.google.com/?sl=auto&tl=zh-CN&op=translate#editor',
    'https://translate.google.com/#view=home&op=translate&sl=auto&tl=zh-CN',
    'https://translate.google.com/details?sl=en&tl=zh-CN&text=queue',
    'https://translate.google.com/history',
    'https://translate.google.com/?text=排队论',
    'HTTPS://TRANSLATE.GOOGLE.COM/', // scheme and host are case-insensitive
    'https://Translate.Google.Com/',
    'https://translate.google.com./', // trailing dot is the same host
    'https://translate.google.com:443/', // explicit default port
    'https://translate.google.com:/', // empty port means the default one
    'https://translate.google.com?@evil.example', // `@` in the query is not userinfo
    'https://translate.google.com#@evil.example', // nor in the fragment
    'https://translate.google.com/a/../b/./c', // dot segments stay on the same host
  ),
  youdao: allowed(
    'https://fanyi.youdao.com/',
    'https://fanyi.youdao.com/index.html#/',
    'https://fanyi.youdao.com/?keyfrom=dict2.index',
    'https://fanyi.youdao.com/trans/#/home',
    'https://fanyi.youdao.com/#/TextTranslate?from=en&to=zh-CHS',
    'https://FANYI.youdao.com./index.html',
  ),
  bing: allowed(
    'https://www.bing.com/translator',
    'https://www.bing.com/translator/',
    'https://www.bing.com/translator?from=en&to=zh-Hans',
    'https://www.bing.com/translator?ref=TThis&text=queue&from=en&to=zh-Hans#result',
    'https://www.bing.com/translator#top',
    'https://cn.bing.com/translator',
    'https://cn.bing.com/translator?from=&to=zh-Hans&setlang=zh-hans',
    'https://WWW.BING.COM/translator',
    'https://www.bing.com./translator',
    'https://www.bing.com/translator/.', // resolves to /translator/
    'https://www.bing.com/translator/a/..', // resolves to /translator/
  ),
};

/** Tricks that must fail whichever translator is chosen; each row names why. */
const tricks: Row[] = [
  // Schemes other than https.
  ['http://translate.google.com/', 'scheme-not-allowed'],
  ['http://fanyi.youdao.com/', 'scheme-not-allowed'],
  ['http://www.bing.com/translator', 'scheme-not-allowed'],
  ['data:text/html,<script>alert(1)</script>', 'scheme-not-allowed'],
  ['data:text/html;base64,PGgxPmhpPC9oMT4=', 'scheme-not-allowed'],
  ['javascript:alert(document.domain)', 'scheme-not-allowed'],
  ['JaVaScRiPt:alert(1)', 'scheme-not-allowed'],
  ['file:///etc/passwd', 'scheme-not-allowed'],
  ['file://translate.google.com/', 'scheme-not-allowed'],
  ['blob:https://translate.google.com/4c2b8b6a-7f1e-4e1a-9f1c-1d2e3f4a5b6c', 'scheme-not-allowed'],
  ['about:blank', 'scheme-not-allowed'],
  ['chrome://settings', 'scheme-not-allowed'],
  ['view-source:https://translate.google.com/', 'scheme-not-allowed'],
  ['filesystem:https://translate.google.com/temporary/x', 'scheme-not-allowed'],
  ['devtools://devtools/bundled/inspector.html', 'scheme-not-allowed'],
  ['chrome-extension://abcdefghijklmnop/page.html', 'scheme-not-allowed'],
  ['wss://translate.google.com/', 'scheme-not-allowed'],
  ['ftp://translate.google.com/', 'scheme-not-allowed'],
  ['mailto:someone@example.com', 'scheme-not-allowed'],
  // Not absolute at all.
  ['', 'not-absolute'],
  ['translate.google.com', 'not-absolute'],
  ['//translate.google.com/', 'not-absolute'],
  ['/translator', 'not-absolute'],
  // Whitespace and controls a browser would strip, turning one thing into another.
  [' https://translate.google.com/', 'whitespace-or-control'],
  ['https://translate.google.com/ ', 'whitespace-or-control'],
  ['java\nscript:alert(1)', 'whitespace-or-control'],
  ['https://trans\tlate.google.com/', 'whitespace-or-control'],
  ['https://translate.google.com\r\n.evil.example/', 'whitespace-or-control'],
  ['https://translate.google.com\u0000.evil.example/', 'whitespace-or-control'],
  ['https://translate.google.com/\u007f', 'whitespace-or-control'],
  // Authority confusion: slashes a browser would skip or read differently.
  ['https:translate.google.com', 'authority-confusion'],
  ['https:/translate.google.com', 'authority-confusion'],
  ['https:///translate.google.com', 'authority-confusion'],
  ['https:////evil.example/translate.google.com', 'authority-confusion'],
  ['https:\\\\translate.google.com', 'backslash'],
  ['https:/\\translate.google.com', 'backslash'],
  ['https://translate.google.com\\@evil.example/', 'backslash'],
  ['https://evil.example\\translate.google.com', 'backslash'],
  ['https://www.bing.com/translator\\..\\search', 'backslash'],
  // Userinfo: the real host is after the `@`, and credentials are never sent anyway.
  ['https://translate.google.com@evil.example/', 'userinfo'],
  ['https://translate.google.com:443@evil.example/', 'userinfo'],
  ['https://user:pass@translate.google.com/', 'userinfo'],
  ['https://@translate.google.com/', 'userinfo'],
  ['https://evil.example@fanyi.youdao.com/', 'userinfo'],
  ['https://www.bing.com%40evil.example/translator', 'encoded-host'],
  // Ports: default only.
  ['https://translate.google.com:8443/', 'non-default-port'],
  ['https://translate.google.com:80/', 'non-default-port'],
  ['https://www.bing.com:444/translator', 'non-default-port'],
  ['https://translate.google.com:44a/', 'bad-port'],
  ['https://translate.google.com:-443/', 'bad-port'],
  // IP literals in every form a browser accepts.
  ['https://127.0.0.1/', 'ip-literal'],
  ['https://142.250.185.78/', 'ip-literal'],
  ['https://2130706433/', 'ip-literal'],
  ['https://0x7f000001/', 'ip-literal'],
  ['https://0177.0.0.1/', 'ip-literal'],
  ['https://1.2.3.4./', 'ip-literal'],
  ['https://[::1]/', 'ip-literal'],
  ['https://[2404:6800:4003:c00::64]/', 'ip-literal'],
  // Encoded or non-ASCII hosts: a browser decodes or punycodes them; we refuse.
  ['https://translate%2egoogle%2ecom/', 'encoded-host'],
  ['https://translate.google.com%2eevil.example/', 'encoded-host'],
  ['https://trаnslate.google.com/', 'non-ascii-host'], // Cyrillic а
  ['https://ｔranslate.google.com/', 'non-ascii-host'], // full-width t
  ['https://fanyi.yоudao.com/', 'non-ascii-host'], // Cyrillic о
  ['https://www.bіng.com/translator', 'non-ascii-host'], // Ukrainian і
  ['https://xn--trnslate-6ve.google.com/', 'punycode-host'],
  ['https://xn--fanyi-youdao-abc.com/', 'punycode-host'],
  ['https://www.xn--bng-mmb.com/translator', 'punycode-host'],
  // Malformed hosts.
  ['https:///', 'authority-confusion'],
  ['https://', 'invalid-host'],
  ['https://translate.google.com../', 'invalid-host'],
  ['https://.translate.google.com/', 'invalid-host'],
  ['https://translate..google.com/', 'invalid-host'],
  ['https://translate_google.com/', 'invalid-host'],
  ['https://*.google.com/', 'invalid-host'],
  // Look-alike, suffix and neighbour hosts.
  ['https://translate.google.com.evil.example/', 'host-not-allowed'],
  ['https://evil-translate.google.com/', 'host-not-allowed'],
  ['https://evil.translate.google.com/', 'host-not-allowed'],
  ['https://translate.google.co/', 'host-not-allowed'],
  ['https://translate.google.cn/', 'host-not-allowed'],
  ['https://translate-google.com/', 'host-not-allowed'],
  ['https://google.com/', 'host-not-allowed'],
  ['https://www.google.com/search?q=translate', 'host-not-allowed'],
  ['https://evil-example.translate.goog/', 'host-not-allowed'], // where Google's website translation redirects
  ['https://translate.googleapis.com/', 'host-not-allowed'], // a subresource host, not a page
  ['https://fanyi.youdao.com.evil.example/', 'host-not-allowed'],
  ['https://dict.youdao.com/', 'host-not-allowed'],
  ['https://www.youdao.com/', 'host-not-allowed'],
  ['https://youdao.com/', 'host-not-allowed'],
  ['https://bing.com/translator', 'host-not-allowed'],
  ['https://www.bing.com.evil.example/translator', 'host-not-allowed'],
  ['https://r.bing.com/translator', 'host-not-allowed'],
  ['https://www.bing.co/translator', 'host-not-allowed'],
  ['https://evil.example/?u=https://translate.google.com/', 'host-not-allowed'],
];

/** Bing shares its host with search, so the path decides (only its translator pages). */
const bingPaths: Row[] = [
  ['https://www.bing.com/', 'path-not-allowed'],
  ['https://www.bing.com/search?q=queueing+theory', 'path-not-allowed'],
  ['https://cn.bing.com/search?q=translator', 'path-not-allowed'],
  ['https://www.bing.com/?translator', 'path-not-allowed'],
  ['https://www.bing.com/search#/translator', 'path-not-allowed'],
  ['https://www.bing.com/translatorx', 'path-not-allowed'],
  ['https://www.bing.com/translator.html', 'path-not-allowed'],
  ['https://www.bing.com/translator;jsessionid=1', 'path-not-allowed'],
  ['https://www.bing.com/Translator', 'path-not-allowed'],
  ['https://www.bing.com//translator', 'path-not-allowed'],
  ['https://www.bing.com/chat?q=translate', 'path-not-allowed'],
  ['https://www.bing.com/translator/../search', 'path-not-allowed'],
  ['https://www.bing.com/translator/%2e%2e/search', 'path-not-allowed'],
  ['https://www.bing.com/translator/%2E./search?q=x', 'path-not-allowed'],
  ['https://www.bing.com/translator/.%2e/search', 'path-not-allowed'],
  ['https://www.bing.com/translator/..', 'path-not-allowed'],
  ['https://www.bing.com/translator/..%2fsearch', 'encoded-slash'],
  ['https://www.bing.com/translator/%2F..%2Fsearch', 'encoded-slash'],
  ['https://www.bing.com/translator/..%5csearch', 'encoded-slash'],
];

describe('decideNavigation', () => {
  describe.each(translatorIds)('with %s chosen', (chosen) => {
    it.each(normalPages[chosen])('allows its own page %s', (url) => {
      expect(decideNavigation(url, chosen)).toEqual({ allowed: true, reason: 'allowed' });
    });

    const others = translatorIds.filter((id) => id !== chosen);
    it.each(others.flatMap((other) => normalPages[other].map(([url]) => [other, url] as const)))(
      'never allows a page of %s: %s',
      (_other, url) => {
        const decision = decideNavigation(url, chosen);
        expect(decision.allowed).toBe(false);
        // Bing's two hosts share rules, so a Bing page seen while Bing is not chosen is a host refusal.
        expect(decision.reason).toBe('host-not-allowed');
      },
    );

    it.each(tricks)('refuses %s (%s)', (url, reason) => {
      expect(decideNavigation(url, chosen)).toEqual({ allowed: false, reason });
    });

    it('opens its home page', () => {
      expect(decideNavigation(translators[chosen].homeUrl, chosen).allowed).toBe(true);
    });
  });

  it.each(bingPaths)('with bing chosen, refuses %s (%s)', (url, reason) => {
    expect(decideNavigation(url, 'bing')).toEqual({ allowed: false, reason });
  });

  it('refuses a translator id that is not one of the three (a value from IPC is untrusted)', () => {
    expect(decideNavigation('https://translate.google.com/', 'deepl' as TranslatorId)).toEqual({ allowed: false, reason: 'unknown-translator' });
    expect(decideNavigation('https://translate.google.com/', 'toString' as TranslatorId).allowed).toBe(false);
  });
});

describe('parseHttpsUrl', () => {
  it('normalises host, resolves dot segments and keeps query and fragment verbatim', () => {
    expect(parseHttpsUrl('https://WWW.Bing.com.:443/a/./b/%2E%2E/translator?x=1&y=a/../b#frag/..')).toEqual({
      ok: true,
      url: { host: 'www.bing.com', path: '/a/translator', query: 'x=1&y=a/../b', fragment: 'frag/..' },
    });
  });

  it('reads a missing path as `/` and cannot climb above the root', () => {
    expect(parseHttpsUrl('https://fanyi.youdao.com')).toMatchObject({ ok: true, url: { path: '/', query: '', fragment: '' } });
    expect(parseHttpsUrl('https://fanyi.youdao.com/../../x')).toMatchObject({ ok: true, url: { path: '/x' } });
  });
});

describe('decideSubresource', () => {
  const own: Record<TranslatorId, string[]> = {
    google: [
      'https://translate.google.com/_/TranslateWebserverUi/data/batchexecute?rpcids=MkEWBc',
      'https://translate.google.com/translate_tts?ie=UTF-8&q=queue&tl=en',
      'https://translate.googleapis.com/translate_a/single?client=gtx',
      'https://translate-pa.googleapis.com/v1/translateHtml',
      'https://www.gstatic.com/_/translate_http/_/js/k=translate_http.tr.en_US.abc/m=b',
      'https://ssl.gstatic.com/images/branding/product/1x/translate_24dp.png',
      'https://fonts.gstatic.com/s/googlesans/v58/4UaGrENHsxJlGDuGo1OIlL3Owp4.woff2',
      'https://fonts.googleapis.com/css2?family=Google+Sans',
    ],
    youdao: [
      'https://fanyi.youdao.com/index.html',
      'https://dict.youdao.com/webtranslate',
      'https://dict.youdao.com/dictvoice?audio=queue&type=2',
      'https://shared.ydstatic.com/images/favicon.ico',
      'https://shared-https.ydstatic.com/dict/v2016/logo.png',
      'https://ydlunacommon-cdn.nosdn.127.net/assets/index.js',
    ],
    bing: [
      'https://www.bing.com/ttranslatev3?isVertical=1&IG=ABC&IID=translator.5023',
      'https://www.bing.com/rp/abc123.js',
      'https://cn.bing.com/tfetspktok?isVertical=1',
      'https://r.bing.com/rp/xyz.css',
      'https://th.bing.com/th?id=OIP.abc',
    ],
  };

  describe.each(translatorIds)('with %s chosen', (chosen) => {
    it.each(own[chosen])('allows what its page needs: %s', (url) => {
      expect(decideSubresource(url, chosen)).toBe(true);
    });

    const others = translatorIds.filter((id) => id !== chosen);
    it.each(others.flatMap((other) => own[other]))('refuses another translator’s resource %s', (url) => {
      expect(decideSubresource(url, chosen)).toBe(false);
    });

    const host = translators[chosen].subresourceHosts[0] ?? '';
    it.each([
      `http://${host}/x.js`,
      `wss://${host}/socket`,
      `data:text/javascript,alert(1)`,
      `blob:https://${host}/4c2b8b6a`,
      `https://user@${host}/x.js`,
      `https://${host}@evil.example/x.js`,
      `https://${host}:8443/x.js`,
      `https://${host}.evil.example/x.js`,
      `https://evil.${host}/x.js`,
      `https://${host}\\@evil.example/x.js`,
      'https://www.google-analytics.com/analytics.js',
      'https://accounts.google.com/ServiceLogin',
      'https://www.google.com/search?q=x',
      'https://evil.example/x.js',
      'https://142.250.185.78/x.js',
    ])('refuses %s', (url) => {
      expect(decideSubresource(url, chosen)).toBe(false);
    });
  });

  it('refuses everything for an unknown translator id', () => {
    expect(decideSubresource('https://translate.google.com/', 'deepl' as TranslatorId)).toBe(false);
  });
});

describe('translators table', () => {
  const everyHost = translatorIds.flatMap((id) => translators[id].subresourceHosts);

  it('lists exact lower-case hosts only (no wildcards, no bare registrable domains like google.com)', () => {
    for (const host of everyHost) {
      expect(host).toMatch(/^[a-z0-9-]+(\.[a-z0-9-]+){2,}$/);
    }
  });

  it('shares no host between translators, so choosing one never opens another', () => {
    expect(new Set(everyHost).size).toBe(everyHost.length);
  });

  it('lets each page load from its own main-frame hosts', () => {
    for (const id of translatorIds) {
      for (const rule of translators[id].mainFrame) expect(translators[id].subresourceHosts).toContain(rule.host);
      expect(translators[id].id).toBe(id);
      expect(translators[id].displayName).not.toBe('');
    }
  });
});

describe('allowedTranslators', () => {
  it.each([
    ['one-of, chosen, default list', { mode: 'one-of' }, 'google', ['google']],
    ['one-of, chosen youdao', { mode: 'one-of' }, 'youdao', ['youdao']],
    ['one-of, chosen within the exam list', { mode: 'one-of', allowed: ['bing', 'youdao'] }, 'bing', ['bing']],
    ['one-of, nothing chosen yet', { mode: 'one-of' }, undefined, []],
    ['one-of, chosen outside the exam list', { mode: 'one-of', allowed: ['google', 'youdao'] }, 'bing', []],
    ['one-of, exam allows none', { mode: 'one-of', allowed: [] }, 'google', []],
    ['any-of, default list', { mode: 'any-of' }, undefined, ['google', 'youdao', 'bing']],
    ['any-of ignores the choice', { mode: 'any-of' }, 'bing', ['google', 'youdao', 'bing']],
    ['any-of, exam list in canonical order', { mode: 'any-of', allowed: ['bing', 'google'] }, undefined, ['google', 'bing']],
    ['any-of, duplicates collapse', { mode: 'any-of', allowed: ['youdao', 'youdao'] }, undefined, ['youdao']],
    ['any-of, exam allows none', { mode: 'any-of', allowed: [] }, undefined, []],
    ['any-of, unknown ids dropped', { mode: 'any-of', allowed: ['deepl', 'google'] }, undefined, ['google']],
    ['one-of, unknown choice', { mode: 'one-of' }, 'deepl', []],
  ] as const)('%s', (_name, policy, chosen, expected) => {
    expect(allowedTranslators(policy as Parameters<typeof allowedTranslators>[0], chosen as TranslatorId | undefined)).toEqual(expected);
  });
});
