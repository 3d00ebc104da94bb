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

/** A place log lines go. A sink must not throw (see `ignoringErrors`). */
export type LogSink = (line: string) => void;

/** Wraps a sink so that its failures are swallowed: logging must never take the app down. */
export function ignoringErrors(sink: LogSink): LogSink {
  return (line) => {
    try {
      sink(line);
    } catch {
      // Nowhere left to report it.
    }
  };
}

/** Every line to every sink; one failing sink never stops the others. */
export function teeSinks(...sinks: readonly LogSink[]): LogSink {
  const safe = sinks.map(ignoringErrors);
  return (line) => {
    for (const sink of safe) sink(line);
  };
}

/**
 * A sink on a stream (process.stdout). When whoever launched the app goes away, writes fail
 * asynchronously (EPIPE) through the stream's 'error' event, which would crash the process if no one
 * listened: those errors are ignored, and the stream is not written again after one.
 */
export function streamSink(stream: { write(chunk: string): unknown; on(event: 'error', listener: (error: Error) => void): unknown }): LogSink {
  let broken = false;
  stream.on('error', () => {
    broken = true;
  });
  return ignoringErrors((line) => {
    if (!broken) stream.write(line);
  });
}

/** For tests and for callers that have nothing to say. */
export const silentLogger: Logger = { info: () => undefined, warn: () => undefined, error: () => undefined };
