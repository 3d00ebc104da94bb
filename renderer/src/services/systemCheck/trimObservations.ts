import type { ExamPolicy } from '../../../../shared/domain/examPolicy';
import type { HostObservations } from '../../../../shared/domain/observations';
import { findBlockedProcesses } from '../../../../shared/domain/processCatalog';

/**
 * The observations stored with the report: what the browser knows added where the host could not
 * look (`screen.isExtended`), and the process list cut to the blocked ones (the full list says more
 * about the learner's computer than the proctor needs).
 */
export function trimObservations(seen: HostObservations, policy: ExamPolicy, extended: boolean | null): HostObservations {
  const displays = seen.displays ?? (extended === null ? null : { displays: [], extended });
  if (seen.processes === null) return { ...seen, displays };
  const flagged = new Set(findBlockedProcesses(seen.os, seen.processes, policy).blocked.flatMap((b) => b.pids));
  return { ...seen, displays, processes: seen.processes.filter((p) => flagged.has(p.pid)) };
}
