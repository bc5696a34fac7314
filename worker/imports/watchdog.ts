// Import tasks that stopped progressing (queued or running, untouched for IMPORT_STALL_SECONDS)
// are revived, at most IMPORT_WATCHDOG_RESUMES times, then failed with `stalled`:
// - a split that stopped part-way (its message lost, its driver dead) gets a new split message for
//   the same generation, which reads on from the byte checkpoint;
// - a split that finished while batches went missing (a dead letter that could not be settled)
//   starts a new generation, which sends exactly the batches the ledger lacks.
// Run from the scheduled handler; every revival is idempotent with the message it sends.
import { readConfig } from "../config";
import { getDb } from "../db/client";
import { reviveTask, stalledTasks } from "../db/import-watchdog";
import { failTask, newGeneration, sendSplit } from "./tasks";

export type WatchdogReport = { revived: string[]; failed: string[] };

export async function runImportWatchdog(env: Env, now: number): Promise<WatchdogReport> {
  const config = readConfig(env);
  const db = getDb(env.DB);
  const report: WatchdogReport = { revived: [], failed: [] };
  const stallMs = config.IMPORT_STALL_SECONDS * 1000;
  for (const task of await stalledTasks(db, now - stallMs, 50)) {
    // A split renews its lease at every checkpoint: a live lease means it is at work.
    if (task.splitLeaseUntil !== null && task.splitLeaseUntil > now) continue;
    if (task.watchdogResumes >= config.IMPORT_WATCHDOG_RESUMES) {
      const minutes = Math.round(config.IMPORT_STALL_SECONDS / 60);
      const message = `No progress for ${minutes} minutes after ${task.watchdogResumes} restarts (${task.processed} of ${task.total ?? task.totalEstimate} rows processed); resume to try again.`;
      await failTask(db, task.id, task.splitGeneration, "stalled", message, now);
      report.failed.push(task.id);
      continue;
    }
    const splitOver = task.batchCount !== null;
    const revived = await reviveTask(db, task, splitOver ? newGeneration(now) : { splitLeaseOwner: null, splitLeaseUntil: null }, now);
    if (!revived) continue;
    await sendSplit(env.IMPORT_QUEUE, revived);
    report.revived.push(task.id);
  }
  if (report.revived.length || report.failed.length) console.log(JSON.stringify({ event: "import.watchdog", ...report }));
  return report;
}
