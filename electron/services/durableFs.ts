import { open, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/**
 * Small durability helpers shared by the journal and the settings store. A file counts as written
 * only once its bytes are fsynced and, for a new name, its directory entry is too.
 */

/** Appends `data` and fsyncs before resolving. */
export async function appendDurably(path: string, data: string): Promise<void> {
  const handle = await open(path, 'a');
  try {
    await handle.writeFile(data, 'utf8');
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/**
 * Makes a new or renamed directory entry durable. Windows cannot open a directory for fsync (and its
 * file system journals renames itself), so there the call is a no-op by design.
 */
export async function syncDirectory(dir: string, platform: NodeJS.Platform = process.platform): Promise<void> {
  if (platform === 'win32') return;
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** Replaces `path` all or nothing: write a temporary sibling, fsync it, rename it over, fsync the folder. */
export async function writeFileAtomically(path: string, data: string, uniqueSuffix: string): Promise<void> {
  const temp = join(dirname(path), `.${basename(path)}.${uniqueSuffix}.tmp`);
  try {
    const handle = await open(temp, 'w');
    try {
      await handle.writeFile(data, 'utf8');
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, path);
  } catch (error) {
    // Leave no half-written temporary behind; the original file is untouched.
    await rm(temp, { force: true });
    throw error;
  }
  await syncDirectory(dirname(path));
}

/** The `code` of a Node system error (ENOENT, ENOSPC ...), if there is one. */
export function codeOf(error: unknown): string | undefined {
  if (typeof error === 'object' && error !== null && 'code' in error && typeof error.code === 'string') return error.code;
  return undefined;
}
