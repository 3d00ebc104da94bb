import { z } from 'zod';
import { JournalEntry } from '../../shared/ipc/contract';

/**
 * The answer journal's on-disk format: one JSON record per line, appended, never edited in place.
 * `base` is written by compaction so the sequence counter survives an emptied file.
 */
export const JournalRecord = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('entry'), writtenAt: z.string(), entry: JournalEntry }),
  z.object({ kind: z.literal('ack'), at: z.string(), sequences: z.array(z.number().int().positive()) }),
  z.object({ kind: z.literal('base'), at: z.string(), nextSequence: z.number().int().positive() }),
]);
export type JournalRecord = z.infer<typeof JournalRecord>;

export const encodeRecord = (record: JournalRecord): string => `${JSON.stringify(record)}\n`;

export interface ParsedJournal {
  readonly records: JournalRecord[];
  /** Bytes up to and including the last complete, valid line: everything after it is a torn write. */
  readonly goodLength: number;
  /** Complete lines in the middle of the file that did not parse (kept, skipped, reported). */
  readonly skippedLines: number;
}

const NEWLINE = 0x0a;

/**
 * Parses the file's bytes. A line is only trusted when it ends with a newline: `append` resolves
 * after the newline is fsynced, so a line without one was never promised to anybody and is torn.
 */
export function parseJournal(bytes: Buffer): ParsedJournal {
  const records: JournalRecord[] = [];
  let goodLength = 0;
  let invalidSinceGood = 0;
  let skippedLines = 0;
  let start = 0;
  while (start < bytes.length) {
    const end = bytes.indexOf(NEWLINE, start);
    if (end === -1) break;
    const record = decodeLine(bytes.subarray(start, end).toString('utf8'));
    if (record) {
      records.push(record);
      goodLength = end + 1;
      skippedLines += invalidSinceGood;
      invalidSinceGood = 0;
    } else {
      invalidSinceGood += 1;
    }
    start = end + 1;
  }
  return { records, goodLength, skippedLines };
}

function decodeLine(line: string): JournalRecord | null {
  if (line.trim() === '') return null;
  let json: unknown;
  try {
    json = JSON.parse(line);
  } catch {
    return null; // Not JSON: the caller counts it as damaged (torn at the end, skipped in the middle).
  }
  const parsed = JournalRecord.safeParse(json);
  return parsed.success ? parsed.data : null;
}

export interface JournalSummary {
  /** Highest sequence the file knows about (entries or a compaction base), 0 when none. */
  readonly maxSequence: number;
  /** Sequences written and not acknowledged, ascending. */
  readonly pending: number[];
}

export function summarise(records: readonly JournalRecord[]): JournalSummary {
  let maxSequence = 0;
  const pending = new Set<number>();
  for (const record of records) {
    if (record.kind === 'entry') {
      maxSequence = Math.max(maxSequence, record.entry.sequence);
      pending.add(record.entry.sequence);
    } else if (record.kind === 'ack') {
      for (const sequence of record.sequences) pending.delete(sequence);
    } else {
      maxSequence = Math.max(maxSequence, record.nextSequence - 1);
    }
  }
  return { maxSequence, pending: [...pending].sort((a, b) => a - b) };
}
