/**
 * Expected failures travel as data, never as thrown errors: Electron forwards only `message`
 * from a thrown error, and the UI needs a stable code to turn into a sentence.
 */
export type Failure<E extends string = string> = { readonly code: E; readonly message: string };

export type Result<T, E extends string = string> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly error: Failure<E> };

export const ok = <T>(value: T): { readonly ok: true; readonly value: T } => ({ ok: true, value });

export const fail = <E extends string>(code: E, message: string): { readonly ok: false; readonly error: Failure<E> } => ({
  ok: false,
  error: { code, message },
});
