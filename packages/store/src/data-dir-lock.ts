/**
 * One process per embedded data directory. PGlite is single-process: two processes on one
 * directory would both write its files and corrupt it. The owner writes `to11.lock` (its PID)
 * with an exclusive create; a lock left by a process that is gone (kill -9, a crash, a
 * container restarted with the same PID) is taken over.
 */
import { closeSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { StoreUnavailableError } from './errors.ts';

export const LOCK_FILE = 'to11.lock';

/** Directories this process holds: a lock naming our own PID but not held here is stale. */
const held = new Set<string>();

/** Whether a process `pid` exists (also when it belongs to another user). */
export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function ownerOf(path: string): number | null {
  try {
    const pid = Number.parseInt(readFileSync(path, 'utf8').trim(), 10);
    return Number.isInteger(pid) && pid > 0 ? pid : null;
  } catch {
    return null;
  }
}

function tryCreate(path: string): boolean {
  let fd: number;
  try {
    fd = openSync(path, 'wx', 0o644);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
  try {
    writeSync(fd, `${process.pid}\n`);
  } finally {
    closeSync(fd);
  }
  return true;
}

/**
 * Takes the lock of `dir` (an existing directory) or throws `StoreUnavailableError` naming the
 * process that holds it. Returns the release function (idempotent).
 */
export function lockDataDir(dir: string): () => void {
  const path = join(dir, LOCK_FILE);
  if (held.has(dir)) {
    throw new StoreUnavailableError(`the data directory ${dir} is already open in this process`);
  }
  for (let attempt = 0; attempt < 3; attempt++) {
    if (tryCreate(path)) {
      held.add(dir);
      return () => release(dir, path);
    }
    const owner = ownerOf(path);
    if (owner !== null && owner !== process.pid && alive(owner)) {
      throw new StoreUnavailableError(
        `the data directory ${dir} is in use by another to11 process (pid ${owner}); stop that process or set TO11_DATA_DIR to another directory (if pid ${owner} is not to11, delete ${path})`,
      );
    }
    // Stale (its process is gone) or unreadable (a crash between create and write): take over.
    rmSync(path, { force: true });
  }
  throw new StoreUnavailableError(`cannot lock the data directory ${dir} (${path})`);
}

function release(dir: string, path: string): void {
  if (!held.delete(dir)) return;
  if (ownerOf(path) === process.pid) rmSync(path, { force: true });
}
