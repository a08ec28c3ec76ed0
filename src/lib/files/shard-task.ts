/**
 * One task of N over a run's ordered inputs (filter inputs, download rows): parsed from `I/N` or from a scheduler's
 * environment; item j belongs to task j mod N.
 */

/** One task of N: `task` from 0 to count - 1. */
export interface ShardTask {
  task: number;
  count: number;
}

/** Parses `I/N` (0 <= I < N); throws naming the value and the valid form. */
export function parseShardTask(text: string): ShardTask {
  const m = /^(\d+)\/(\d+)$/.exec(text.trim());
  const task = m ? Number(m[1]) : NaN;
  const count = m ? Number(m[2]) : NaN;
  if (!m || !Number.isSafeInteger(count) || count < 1 || task >= count) {
    throw new RangeError(`shard ${JSON.stringify(text)}: expected I/N with N >= 1 and I from 0 to N - 1 (task I of N, counted from 0), e.g. 0/4`);
  }
  return { task, count };
}

/**
 * The task from a scheduler's environment, or null when none is set: Slurm job arrays (`SLURM_ARRAY_TASK_ID` and
 * `SLURM_ARRAY_TASK_COUNT`; an array that does not start at 0 or steps is mapped through `SLURM_ARRAY_TASK_MIN`/`_STEP`),
 * or Kubernetes indexed Jobs (`JOB_COMPLETION_INDEX`, with the count from `shardCount`, i.e. --shard-count).
 */
export function shardTaskFromEnv(env: NodeJS.ProcessEnv, shardCount?: number): ShardTask | null {
  const int = (name: string, fallback?: number) => {
    const raw = env[name];
    if (raw === undefined || raw === "") return fallback;
    const n = Number(raw);
    if (!Number.isSafeInteger(n) || n < 0) throw new RangeError(`${name}=${JSON.stringify(raw)}: expected an integer >= 0`);
    return n;
  };
  const id = int("SLURM_ARRAY_TASK_ID");
  if (id !== undefined) {
    const count = shardCount ?? int("SLURM_ARRAY_TASK_COUNT");
    if (count === undefined) throw new RangeError("SLURM_ARRAY_TASK_ID is set but SLURM_ARRAY_TASK_COUNT is not: give --shard I/N or --shard-count N");
    const min = int("SLURM_ARRAY_TASK_MIN", 0)!;
    const step = int("SLURM_ARRAY_TASK_STEP", 1)! || 1;
    const task = (id - min) / step;
    if (!Number.isInteger(task) || task < 0 || task >= count) {
      throw new RangeError(`SLURM_ARRAY_TASK_ID=${id} (min ${min}, step ${step}) is not task 0..${count - 1} of SLURM_ARRAY_TASK_COUNT=${count}: give --shard I/N`);
    }
    return { task, count };
  }
  const index = int("JOB_COMPLETION_INDEX");
  if (index !== undefined) {
    if (shardCount === undefined) throw new RangeError("JOB_COMPLETION_INDEX is set: give --shard-count N (the Job's completions) or --shard I/N");
    if (index >= shardCount) throw new RangeError(`JOB_COMPLETION_INDEX=${index} is not below --shard-count ${shardCount}`);
    return { task: index, count: shardCount };
  }
  return null;
}

/** Indexes of the inputs task I of N owns: j with j mod N = I, in input order. */
export function assignedInputs(inputs: number, { task, count }: ShardTask): number[] {
  const owned: number[] = [];
  for (let j = task; j < inputs; j += count) owned.push(j);
  return owned;
}

