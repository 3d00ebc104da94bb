/** One logger interface for the renderer. Log ids, durations and sizes; never answers, passwords or tokens. */
export interface Logger {
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

export const consoleLogger = (sink: Pick<Console, 'info' | 'warn' | 'error'>): Logger => ({
  info: (m, f) => sink.info(`[invigil] ${m}`, f ?? ''),
  warn: (m, f) => sink.warn(`[invigil] ${m}`, f ?? ''),
  error: (m, f) => sink.error(`[invigil] ${m}`, f ?? ''),
});

export const silentLogger: Logger = { info: () => {}, warn: () => {}, error: () => {} };
