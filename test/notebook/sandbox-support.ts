/**
 * Shared by the sandbox and attack tests: whether bubblewrap can run here (skip, or fail with
 * RESCOM_REQUIRE_BWRAP=1 as CI sets it), and a scan of /proc for processes left behind.
 */
import test from 'ava';
import * as fs from 'node:fs';
import { bubblewrapStatus } from '../../src/notebook/sandbox';

const status = bubblewrapStatus();
if (!status.ok && process.env.RESCOM_REQUIRE_BWRAP === '1')
  throw new Error(`RESCOM_REQUIRE_BWRAP=1 but bubblewrap cannot run here: ${status.reason}`);
if (!status.ok) console.log(`sandbox tests: SKIPPED, ${status.reason}`);

/**
 * Grading tests that are not about the sandbox pass this as `trusted`: sandboxed where bubblewrap
 * runs (CI), unsandboxed elsewhere, so the grading logic is tested on every machine.
 */
export const TRUSTED = !status.ok;

/** `test.serial`, or `test.skip` where bubblewrap cannot run. */
export const sandboxTest = status.ok ? test.serial : test.skip;

/** Pids of live processes whose command line contains `marker` (zombies excluded). */
export function processesWith(marker: string): number[] {
  const found: number[] = [];
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    try {
      const cmdline = fs.readFileSync(`/proc/${entry}/cmdline`, 'utf8');
      const state = /^State:\s+(\S)/m.exec(fs.readFileSync(`/proc/${entry}/status`, 'utf8'))?.[1];
      if (cmdline.includes(marker) && state !== 'Z') found.push(Number(entry));
    } catch {
      // gone meanwhile
    }
  }
  return found;
}

/** A marker unique to this test run, to put in the command lines of processes a test starts. */
export function uniqueMarker(name: string): string {
  return `RESCOM-${name}-${process.pid}-${Date.now().toString(36)}`;
}
