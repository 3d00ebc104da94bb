/** Where text in a request cannot be stored as it was sent, and why. */
export interface TextProblem {
  /** Dotted path from the value's root (`items.0.observed`), empty for the root itself. */
  readonly path: string;
  readonly message: string;
}

// A high surrogate not followed by a low one, or a low surrogate not preceded by a high one.
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

function describe(text: string): string | null {
  if (text.includes('\u0000')) return 'contains a NUL character (\\u0000), which cannot be stored as text';
  if (LONE_SURROGATE.test(text)) return 'contains a lone UTF-16 surrogate, which is not valid Unicode text';
  return null;
}

interface Visit {
  readonly value: unknown;
  readonly parent: Visit | null;
  readonly key: string | number | null;
}

function pathOf(visit: Visit, root: readonly (string | number)[]): string {
  const keys: (string | number)[] = [];
  for (let v: Visit | null = visit; v !== null; v = v.parent) if (v.key !== null) keys.push(v.key);
  return [...root, ...keys.reverse()].join('.');
}

/**
 * The first string (or object key) in a parsed JSON value, in document order, that PostgreSQL
 * refuses (NUL) or that is not valid Unicode (a lone surrogate, which a UTF-8 encoder would silently
 * replace); null when all text is fine. Walks without recursion and builds a path only for what it
 * reports, so any nesting depth is safe and linear.
 */
export function findInvalidText(value: unknown, root: readonly (string | number)[] = []): TextProblem | null {
  const stack: Visit[] = [{ value, parent: null, key: null }];
  while (stack.length > 0) {
    const visit = stack.pop()!;
    const v = visit.value;
    if (typeof v === 'string') {
      const message = describe(v);
      if (message) return { path: pathOf(visit, root), message };
    } else if (Array.isArray(v)) {
      for (let i = v.length - 1; i >= 0; i -= 1) stack.push({ value: v[i], parent: visit, key: i });
    } else if (v !== null && typeof v === 'object') {
      const entries = Object.entries(v);
      for (const [key] of entries) {
        const message = describe(key);
        if (message) return { path: pathOf(visit, root), message: `has a field name that ${message}` };
      }
      for (let i = entries.length - 1; i >= 0; i -= 1) stack.push({ value: entries[i]![1], parent: visit, key: entries[i]![0] });
    }
  }
  return null;
}
