/**
 * The host's one logger interface. Fields are ids, durations, sizes and codes: never answers,
 * frames, ID images, tokens or passwords (the callers keep that promise; the logger cannot check).
 */
export type LogFields = Readonly<Record<string, string | number | boolean | null | undefined>>;

export interface Logger {
  info(msg: string, fields?: LogFields): void;
  warn(msg: string, fields?: LogFields): void;
  error(msg: string, fields?: LogFields): void;
}

type Level = 'info' | 'warn' | 'error';

/**
 * One JSON object per line (the web host's e2e harness parses its stdout line by line).
 * Composition roots choose the stream and the clock.
 */
export function jsonLinesLogger(write: (line: string) => void, now: () => number): Logger {
  const emit = (level: Level, msg: string, fields?: LogFields): void => {
    write(`${JSON.stringify({ level, time: new Date(now()).toISOString(), msg, ...fields })}\n`);
  };
  return {
    info: (msg, fields) => emit('info', msg, fields),
    warn: (msg, fields) => emit('warn', msg, fields),
    error: (msg, fields) => emit('error', msg, fields),
  };
}

/** For tests and for callers that have nothing to say. */
export const silentLogger: Logger = { info: () => undefined, warn: () => undefined, error: () => undefined };
