// CPU time of a process tree from /proc (Linux): utime + stime of the process and all its descendants.
import { spawnSync } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';

const ticksPerSecond = Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout.trim()) || 100;

interface Stat {
  readonly pid: number;
  readonly ppid: number;
  readonly ticks: number;
}

function readStat(pid: number): Stat | null {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name may contain spaces and parentheses: fields start after the last ')'.
    const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
    return { pid, ppid: Number(fields[1]), ticks: Number(fields[11]) + Number(fields[12]) };
  } catch {
    return null; // the process ended between listing and reading
  }
}

/** Seconds of CPU used so far by each root process and everything below it. */
export function treeCpuSeconds(roots: readonly number[]): number {
  const stats = readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .map((name) => readStat(Number(name)))
    .filter((s): s is Stat => s !== null);
  const children = new Map<number, Stat[]>();
  for (const s of stats) children.set(s.ppid, [...(children.get(s.ppid) ?? []), s]);
  const byPid = new Map(stats.map((s) => [s.pid, s]));
  let ticks = 0;
  const queue = roots.map((pid) => byPid.get(pid)).filter((s): s is Stat => s !== undefined);
  const seen = new Set<number>();
  while (queue.length > 0) {
    const s = queue.pop()!;
    if (seen.has(s.pid)) continue;
    seen.add(s.pid);
    ticks += s.ticks;
    queue.push(...(children.get(s.pid) ?? []));
  }
  return ticks / ticksPerSecond;
}

/** Average cores used by the trees over `seconds` of wall time, as a percentage of one core. */
export async function measureCorePct(roots: () => readonly number[], seconds: number): Promise<number> {
  const cpu0 = treeCpuSeconds(roots());
  const t0 = performance.now();
  await new Promise((r) => setTimeout(r, seconds * 1000));
  const cpu1 = treeCpuSeconds(roots());
  const wall = (performance.now() - t0) / 1000;
  return Math.round(((cpu1 - cpu0) / wall) * 1000) / 10;
}
