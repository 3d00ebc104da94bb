/** Values the server project's globalSetup hands to the suites through vitest's provide/inject. */
declare module 'vitest' {
  export interface ProvidedContext {
    /** URL of the throwaway cluster's `postgres` database, or null when PostgreSQL is unavailable. */
    postgresUrl: string | null;
    postgresSkipReason: string | null;
  }
}

export {};
