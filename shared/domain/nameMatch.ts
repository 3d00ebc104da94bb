/**
 * Compares the learner's registered full name with the name read from a government ID (MRZ or visual
 * zone) and explains the outcome to a proctor.
 *
 * Tokens are compared as sets, so order never matters ("OKAFOR<<AMARA" ≈ "Amara Okafor"). Two tokens are
 * the same when any of their ASCII spellings agree: accents stripped ("Müller" → MULLER) or transliterated
 * the ICAO 9303 way (MUELLER), so both spellings a document may print are accepted.
 *
 * Deliberately NOT forgiven: one-letter differences ("Jon"/"John", "Mohamed"/"Mohammed"). An OCR slip and
 * a different person look the same here, so they are reported as `different` and the verdict is at most
 * `partial`; the proctor decides by looking at the image.
 */

export type NameVerdict = 'match' | 'partial' | 'mismatch' | 'unreadable';

export interface ReadName {
  /** Visual "full name" line, or a raw MRZ name field ("MUELLER<<JONAS<<<"). Used when surname/givenNames have no letters. */
  readonly fullName?: string | null;
  readonly surname?: string | null;
  readonly givenNames?: string | null;
  /**
   * The MRZ name field was cut at its fixed width (30 in TD1, 31 in TD2, 39 in TD3). When omitted it is
   * inferred: an MRZ-style field of exactly such a length that ends in a letter.
   */
  readonly truncated?: boolean;
}

export interface NameDifference {
  /** Upper-case token as shown to the proctor (accents kept). */
  readonly token: string;
  readonly side: 'registered' | 'read';
  readonly kind: 'missing' | 'extra' | 'different';
  /** For `different`: the similar token on the other side. */
  readonly counterpart?: string;
}

export interface NameMatchResult {
  readonly verdict: NameVerdict;
  /** One plain sentence for the proctor. */
  readonly reason: string;
  readonly registeredTokens: string[];
  readonly readTokens: string[];
  readonly differences: NameDifference[];
}

/** ICAO 9303 Part 3 transliterations that differ from stripping the accent; the stripped spelling is kept as an alternative. */
const ICAO: Readonly<Record<string, readonly string[]>> = {
  Ä: ['AE', 'A'],
  Ö: ['OE', 'O'],
  Ü: ['UE', 'U'],
  Å: ['AA', 'A'],
  Ø: ['OE', 'O'],
  Æ: ['AE'],
  Œ: ['OE'],
  Ĳ: ['IJ'],
  ẞ: ['SS'],
  Þ: ['TH'],
  Ð: ['D'],
  Đ: ['D'],
  Ł: ['L'],
  Ħ: ['H'],
  Ŧ: ['T'],
  Ŀ: ['L'],
  Ŋ: ['N'],
};

/** Optional surname particles: "da Silva" ≈ "SILVA", "FERNANDEZ DE CORDOBA" ≈ "Fernández Córdoba". */
const PARTICLES = new Set(['VAN', 'VON', 'DE', 'DA', 'DEL', 'DI', 'LE', 'LA', 'BIN', 'BINTI', 'AL', 'EL', 'DER', 'DEN', 'DOS', 'DAS']);
const MRZ_NAME_LENGTHS = new Set([30, 31, 39]);
const MAX_FORMS = 64;
const MIN_TRUNCATED_PREFIX = 3;

interface Token {
  readonly text: string;
  readonly forms: readonly string[];
  readonly particle: boolean;
  state: 'open' | 'matched' | 'ignored' | 'different';
  /** Set when the token matched only as a truncated MRZ prefix. */
  truncatedOf?: string;
  counterpart?: string;
}

const stripMarks = (s: string): string => s.normalize('NFKD').replace(/\p{M}/gu, '');
const letterCount = (s: string): number => (s.match(/\p{L}/gu) ?? []).length;

/** Every ASCII spelling of a token: each special letter either transliterated (ICAO) or stripped. */
export function spellings(token: string): string[] {
  let acc = [''];
  for (const ch of token.normalize('NFC').toUpperCase()) {
    const alts = ICAO[ch] ?? [stripMarks(ch)];
    const next = new Set<string>();
    for (const a of acc) for (const b of alts) if (next.size < MAX_FORMS) next.add(a + b);
    acc = [...next];
  }
  return acc;
}

/** Splits on spaces, hyphens, MRZ fillers and punctuation; apostrophes vanish ("O'Brien" → OBRIEN). */
export function tokenize(text: string): string[] {
  return text
    .normalize('NFC')
    .toUpperCase()
    .replace(/['’‘ʼʻ`´]/g, '')
    .split(/[^\p{L}\p{M}\p{N}]+/u)
    .filter((t) => t.length > 0);
}

const toToken = (text: string): Token => ({ text, forms: spellings(text), particle: PARTICLES.has(stripMarks(text)), state: 'open' });
const same = (a: readonly string[], b: readonly string[]): boolean => a.some((x) => b.includes(x));

function levenshtein(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      cur[j] = Math.min((prev[j] ?? 0) + 1, (cur[j - 1] ?? 0) + 1, (prev[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = cur;
  }
  return prev[b.length] ?? 0;
}

/** Close enough to be shown side by side as one name spelled differently (never close enough to match). */
function similar(a: Token, b: Token): boolean {
  return a.forms.some((x) =>
    b.forms.some((y) => {
      if (x.length === 1 || y.length === 1) return x[0] === y[0]; // an initial
      if (Math.min(x.length, y.length) >= MIN_TRUNCATED_PREFIX && (x.startsWith(y) || y.startsWith(x))) return true; // cut short, or a short form
      const d = levenshtein(x, y);
      return d <= 2 && d <= Math.ceil(Math.max(x.length, y.length) / 3);
    }),
  );
}

/** Chooses the read text and decides whether its last token may be a truncated MRZ prefix. */
function readSource(read: ReadName): { text: string; truncated: boolean } {
  const surname = read.surname?.trim() ?? '';
  const given = read.givenNames?.trim() ?? '';
  const structured = letterCount(surname + given) >= 2;
  // Surname first, so the last token is where an MRZ field would have been cut.
  const text = structured ? `${surname} ${given}` : (read.fullName ?? '');
  if (read.truncated !== undefined) return { text, truncated: read.truncated };
  const field = structured ? (given ? `${surname}<<${given}` : surname).replace(/\s+/g, '<') : text.trim();
  const mrzLike = /^[A-Z<]+$/.test(field) && (structured || field.includes('<'));
  return { text, truncated: mrzLike && /[A-Z]$/.test(field) && MRZ_NAME_LENGTHS.has(field.length) };
}

/** Garbled OCR: almost no letters, or more noise than letters. MRZ fillers and spaces are not noise. */
function unreadable(text: string): boolean {
  const letters = letterCount(text);
  const visible = text.replace(/[\s<]/g, '').length;
  return letters < 2 || letters * 2 < visible;
}

const open = (ts: readonly Token[]): Token[] => ts.filter((t) => t.state === 'open');

/** "Jean-Luc" read as JEANLUC, "Al-Farsi" as ALFARSI: one token against 2–3 consecutive open tokens. */
function matchJoined(singles: readonly Token[], runs: readonly Token[]): void {
  for (const s of open(singles)) {
    search: for (let len = 2; len <= 3; len++) {
      for (let i = 0; i + len <= runs.length; i++) {
        const run = runs.slice(i, i + len);
        if (run.some((t) => t.state !== 'open')) continue;
        if (same(s.forms, spellings(run.map((t) => t.text).join('')))) {
          for (const t of [s, ...run]) t.state = 'matched';
          break search;
        }
      }
    }
  }
}

function align(reg: Token[], rd: Token[], truncated: boolean): void {
  for (const r of reg) {
    const d = open(rd).find((x) => same(r.forms, x.forms));
    if (d) r.state = d.state = 'matched';
  }
  matchJoined(rd, reg);
  matchJoined(reg, rd);
  const last = rd[rd.length - 1];
  if (truncated && last?.state === 'open') {
    const full = open(reg).find((r) =>
      r.forms.some((rf) => last.forms.some((lf) => lf.length >= MIN_TRUNCATED_PREFIX && rf.length > lf.length && rf.startsWith(lf))),
    );
    if (full) {
      full.state = last.state = 'matched';
      last.truncatedOf = full.text;
    }
  }
  // Particles may be dropped only once two real names agree, so "Lê Văn Đức" vs "DUC" stays partial,
  // and a registered name's first token is never a particle to drop (it is a given name there).
  if (reg.filter((t) => t.state === 'matched' && !t.particle).length >= 2) {
    for (const t of [...reg.slice(1), ...rd]) if (t.state === 'open' && t.particle) t.state = 'ignored';
  }
  for (const r of open(reg)) {
    const d = open(rd).find((x) => similar(r, x));
    if (!d) continue;
    r.state = d.state = 'different';
    r.counterpart = d.text;
    d.counterpart = r.text;
  }
}

const list = (ts: readonly Token[]): string => {
  const words = ts.map((t) => t.text);
  return words.length <= 1 ? (words[0] ?? '') : `${words.slice(0, -1).join(', ')} and ${words[words.length - 1] ?? ''}`;
};

/** Compares a registered full name with the name read from an ID. Pure; never throws. */
export function matchName(registered: string, read: ReadName): NameMatchResult {
  const source = readSource(read);
  const reg = tokenize(registered).map(toToken);
  const rd = tokenize(source.text).map(toToken);
  const result = (verdict: NameVerdict, reason: string, differences: NameDifference[] = []): NameMatchResult => ({
    verdict,
    reason,
    registeredTokens: reg.map((t) => t.text),
    readTokens: rd.map((t) => t.text),
    differences,
  });

  if (unreadable(source.text)) return result('unreadable', 'No name could be read from the ID, so it has to be checked by eye.');
  if (letterCount(registered) < 2) return result('mismatch', 'The account has no registered name to compare the ID with.');

  align(reg, rd, source.truncated);
  const missing = reg.filter((t) => t.state === 'open');
  const extra = rd.filter((t) => t.state === 'open');
  const different = reg.filter((t) => t.state === 'different');
  const differences: NameDifference[] = [
    ...different.flatMap((r): NameDifference[] => [
      { token: r.text, side: 'registered', kind: 'different', counterpart: r.counterpart ?? '' },
      { token: r.counterpart ?? '', side: 'read', kind: 'different', counterpart: r.text },
    ]),
    ...missing.map((t): NameDifference => ({ token: t.text, side: 'registered', kind: 'missing' })),
    ...extra.map((t): NameDifference => ({ token: t.text, side: 'read', kind: 'extra' })),
  ];

  const agreed = reg.filter((t) => t.state === 'matched' && !t.particle).length;
  if (agreed === 0) {
    return result('mismatch', `None of the names on the ID (${rd.map((t) => t.text).join(' ')}) appear in the registered name (${reg.map((t) => t.text).join(' ')}).`, differences);
  }

  const parts = [
    ...different.map((r) => `the ID reads ${r.counterpart ?? ''} where the registered name has ${r.text}`),
    ...(missing.length > 0 ? [`the ID does not show ${list(missing)}`] : []),
    ...(extra.length > 0 ? [`the ID also shows ${list(extra)}, which is not in the registered name`] : []),
  ];
  if (missing.length > 0 && extra.length > 0) {
    return result('mismatch', `The name on the ID does not match the registered name: ${parts.join('; ')}.`, differences);
  }
  if (parts.length > 0) return result('partial', `The names only partly match: ${parts.join('; ')}.`, differences);

  const notes = [
    ...rd.filter((t) => t.truncatedOf).map((t) => `the ID shortens ${t.truncatedOf ?? ''} to ${t.text}`),
    ...[...reg, ...rd].filter((t) => t.state === 'ignored').map((t) => `${t.text} is left out`),
  ];
  return result('match', `The name on the ID matches the registered name${notes.length > 0 ? ` (${notes.join('; ')})` : ''}.`, differences);
}
