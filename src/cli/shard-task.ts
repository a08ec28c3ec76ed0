// The task a sharded command (`ccw filter`, `ccw download`) runs: --shard I/N, else a scheduler's environment, else null.
import { parseShardTask, shardTaskFromEnv, type ShardTask } from "../lib/files/shard-task.js";
import { UsageError } from "./command.js";

export function shardTask(command: string, shard: string | undefined, shardCount: number | undefined, env: NodeJS.ProcessEnv = process.env): ShardTask | null {
  try {
    if (shard !== undefined) {
      const task = parseShardTask(shard);
      if (shardCount !== undefined && shardCount !== task.count) throw new RangeError(`--shard-count ${shardCount} disagrees with --shard ${shard}`);
      return task;
    }
    const fromEnv = shardTaskFromEnv(env, shardCount);
    if (!fromEnv && shardCount !== undefined) throw new RangeError("--shard-count needs a task index from the environment (JOB_COMPLETION_INDEX or SLURM_ARRAY_TASK_ID); give --shard I/N instead");
    return fromEnv;
  } catch (error) {
    if (error instanceof RangeError) throw new UsageError(`ccw ${command}: ${error.message}`);
    throw error;
  }
}

/** `ccw <command> merge <dir>`: the folder, refusing options (the run's are recorded in the folder). */
export function mergeFolder(command: string, positionals: string[], values: Record<string, unknown>, recordedIn: string): string {
  const given = Object.keys(values).filter((k) => k !== "help" && values[k] !== undefined);
  if (given.length) throw new UsageError(`ccw ${command} merge: takes no options (the run's are recorded in ${recordedIn}), got ${given.map((k) => `--${k}`).join(", ")}`);
  if (positionals.length !== 2) throw new UsageError(`ccw ${command} merge: expected one folder (the --out of the shard tasks), got ${positionals.length - 1}${positionals.length > 2 ? `: ${positionals.slice(1).join(" ")}` : ""}`);
  return positionals[1]!;
}
