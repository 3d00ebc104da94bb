/**
 * Vitest globalSetup for the server project: starts a throwaway PostgreSQL cluster for the run and
 * hands its URL to the suites (`inject('postgresUrl')`). Each suite creates its own databases in it.
 * Without PostgreSQL binaries the PostgreSQL cases skip, and the reason is printed.
 */
import type { TestProject } from 'vitest/node';
import { findPostgresBin, startThrowawayPostgres } from './throwawayPostgres';

import './providedContext';

export default async function setup(project: TestProject): Promise<(() => void) | undefined> {
  if (!findPostgresBin()) {
    const reason = 'PostgreSQL binaries not found under /usr/lib/postgresql/*/bin (apt-get install postgresql)';
    console.warn(`[server tests] PostgreSQL cases skipped: ${reason}`);
    project.provide('postgresUrl', null);
    project.provide('postgresSkipReason', reason);
    return undefined;
  }
  const cluster = await startThrowawayPostgres({ durable: false });
  project.provide('postgresUrl', cluster.url);
  project.provide('postgresSkipReason', null);
  return () => cluster.stop();
}
