// A single-node Slurm cluster for tests, from Debian's slurm-wlm and munge, living entirely in a temporary folder:
// its own munge key and socket, slurm.conf on free loopback ports, state, spool and logs. Nothing under /etc is
// read or written; clients reach it through SLURM_CONF in `env`. stop() cancels its jobs and ends the daemons.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { cpus, hostname, tmpdir, totalmem } from "node:os";
import { delimiter, join } from "node:path";

/** The daemons and clients the cluster needs, and the Debian packages they come from. */
const BINARIES = { munged: "munge", slurmctld: "slurmctld", slurmd: "slurmd", sbatch: "slurm-client", squeue: "slurm-client", scontrol: "slurm-client", scancel: "slurm-client", sinfo: "slurm-client" } as const;
const SEARCH_PATH = [...(process.env.PATH ?? "").split(delimiter), "/usr/sbin", "/sbin", "/usr/bin"];

/** Where a binary is, looking in PATH and the sbin folders a non-root PATH lacks. */
function which(name: string): string | undefined {
  for (const dir of SEARCH_PATH) if (dir && existsSync(join(dir, name))) return join(dir, name);
  return undefined;
}

/** Whether this machine can run the cluster, and if not, why and how to fix it. */
export function slurmAvailability(): { ok: true } | { ok: false; reason: string } {
  const missing = Object.keys(BINARIES).filter((b) => !which(b));
  const root = process.getuid?.() === 0;
  if (missing.length) {
    return { ok: false, reason: `${missing.join(", ")} not found: install Debian's slurm-wlm and munge (${root ? "" : "sudo "}apt-get install -y slurm-wlm munge; .ci/run does this)` };
  }
  if (!root) return { ok: false, reason: "slurmd runs jobs as their submitting user and needs root: run the test as root" };
  return { ok: true };
}

/** A free TCP port on the loopback interface (closed again before the daemon binds it). */
async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

export interface CommandResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface SlurmCluster {
  /** The temporary folder holding everything (configuration, state, logs). */
  dir: string;
  /** The node's name, as in slurm.conf. */
  node: string;
  /** process.env plus SLURM_CONF: give it to every Slurm client and to scripts that call them. */
  env: NodeJS.ProcessEnv;
  /** Runs a command with `env` and returns what it printed (never throws on a non-zero exit). */
  run(command: string, args: string[], extraEnv?: NodeJS.ProcessEnv): CommandResult;
  /** Waits until none of these jobs is pending or running; throws, with the daemons' logs, after timeoutMs. */
  waitForJobs(ids: string[], timeoutMs: number): Promise<void>;
  /** Every record Slurm keeps of a job (an array job: one per task), as key=value fields. */
  jobRecords(id: string): Record<string, string>[];
  /** The daemons' logs, the last lines of each, for failure messages. */
  logs(lines?: number): string;
  /** Cancels every job, ends slurmd, slurmctld and munged, and removes the folder. Safe to call twice. */
  stop(): Promise<void>;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Sends SIGTERM, then SIGKILL after graceMs, and waits for the exit. */
async function end(child: ChildProcess, graceMs = 5000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  child.kill("SIGTERM");
  const timer = setTimeout(() => child.kill("SIGKILL"), graceMs);
  await exited;
  clearTimeout(timer);
}

/** Writes the configuration, starts munged, slurmctld and slurmd, and waits for the node to be idle. */
export async function startSlurmCluster(options: { timeoutMs?: number } = {}): Promise<SlurmCluster> {
  const timeoutMs = options.timeoutMs ?? 60_000;
  const dir = mkdtempSync(join(tmpdir(), "ccw-slurm-"));
  const path = (...p: string[]) => join(dir, ...p);
  for (const sub of ["munge", "state", "spool", "log"]) mkdirSync(path(sub), { recursive: true });
  // munged wants its key private and its socket folder searchable by all.
  chmodSync(dir, 0o711);
  chmodSync(path("munge"), 0o711);
  writeFileSync(path("munge", "munge.key"), randomBytes(1024), { mode: 0o400 });

  const node = hostname().split(".")[0]!;
  const [ctldPort, dPort] = [await freePort(), await freePort()];
  const memoryMb = Math.floor(totalmem() / 2 ** 20) - 512;
  const conf = path("slurm.conf");
  writeFileSync(conf, [
    "ClusterName=ccwtest",
    `SlurmctldHost=${node}(127.0.0.1)`,
    `SlurmctldPort=${ctldPort}`,
    `SlurmdPort=${dPort}`,
    "SlurmUser=root",
    "SlurmdUser=root",
    "AuthType=auth/munge",
    "CredType=cred/munge",
    `AuthInfo=socket=${path("munge", "munge.socket")}`,
    `StateSaveLocation=${path("state")}`,
    `SlurmdSpoolDir=${path("spool")}`,
    `SlurmctldPidFile=${path("slurmctld.pid")}`,
    `SlurmdPidFile=${path("slurmd.pid")}`,
    `SlurmctldLogFile=${path("log", "slurmctld.log")}`,
    `SlurmdLogFile=${path("log", "slurmd.log")}`,
    // No cgroups: the test machine is a container; processes are tracked by parent id.
    "ProctrackType=proctrack/linuxproc",
    "TaskPlugin=task/none",
    "JobAcctGatherType=jobacct_gather/none",
    "AccountingStorageType=accounting_storage/none",
    "JobCompType=jobcomp/none",
    "MpiDefault=none",
    // One core per task, so 4 array tasks run 2 at a time on 2 cores.
    "SelectType=select/cons_tres",
    "SelectTypeParameters=CR_Core",
    "SchedulerType=sched/backfill",
    // Finished jobs stay visible to scontrol for the whole test (there is no accounting database).
    "MinJobAge=3600",
    "ReturnToService=2",
    `NodeName=${node} NodeAddr=127.0.0.1 CPUs=${cpus().length} RealMemory=${memoryMb} State=UNKNOWN`,
    `PartitionName=test Nodes=${node} Default=YES MaxTime=INFINITE State=UP`,
    "",
  ].join("\n"));
  const env: NodeJS.ProcessEnv = { ...process.env, SLURM_CONF: conf, PATH: SEARCH_PATH.join(delimiter) };
  for (const key of Object.keys(env)) if (key.startsWith("SLURM_") && key !== "SLURM_CONF") delete env[key];
  for (const key of Object.keys(env)) if (key.startsWith("SBATCH_")) delete env[key];

  const children: ChildProcess[] = [];
  let stopping = false;
  const daemon = (name: keyof typeof BINARIES, args: string[]) => {
    const child = spawn(which(name)!, args, { env, stdio: ["ignore", "ignore", "pipe"] });
    let stderr = "";
    child.stderr!.on("data", (d) => { stderr = (stderr + d).slice(-4000); });
    child.on("exit", (code, signal) => { if (!stopping) writeFileSync(path("log", `${name}.exit`), `exited ${code ?? signal}\n${stderr}`); });
    children.push(child);
    return child;
  };

  const run = (command: string, args: string[], extraEnv: NodeJS.ProcessEnv = {}): CommandResult => {
    const r = spawnSync(which(command) ?? command, args, { env: { ...env, ...extraEnv }, encoding: "utf-8", timeout: 60_000 });
    return { code: r.status ?? -1, stdout: r.stdout ?? "", stderr: `${r.stderr ?? ""}${r.error ? String(r.error) : ""}` };
  };

  const logs = (lines = 30) => {
    const parts: string[] = [];
    for (const file of readdirSync(path("log")).sort()) {
      const text = readFileSync(path("log", file), "utf-8").trimEnd().split("\n").slice(-lines).join("\n");
      parts.push(`--- ${file}\n${text}`);
    }
    return parts.join("\n");
  };

  const jobRecords = (id: string) => {
    const r = run("scontrol", ["-o", "show", "job", id]);
    if (r.code !== 0) return [];
    return r.stdout.trim().split("\n").filter(Boolean).map((line) => {
      const record: Record<string, string> = {};
      for (const field of line.split(" ")) {
        const eq = field.indexOf("=");
        if (eq > 0) record[field.slice(0, eq)] = field.slice(eq + 1);
      }
      return record;
    });
  };

  const stop = async () => {
    if (stopping) return;
    stopping = true;
    if (children.length === 3 && children.every((c) => c.exitCode === null)) {
      run("scancel", ["--full", "--user=root"]);
      for (let i = 0; i < 20 && run("squeue", ["-h", "-o", "%i"]).stdout.trim(); i++) await sleep(500);
    }
    for (const child of [...children].reverse()) await end(child);
    rmSync(dir, { recursive: true, force: true });
  };

  try {
    const munged = daemon("munged", ["-F", "-f", `--key-file=${path("munge", "munge.key")}`, `--socket=${path("munge", "munge.socket")}`,
      `--pid-file=${path("munge", "munged.pid")}`, `--seed-file=${path("munge", "munged.seed")}`, `--log-file=${path("log", "munged.log")}`]);
    for (let i = 0; !existsSync(path("munge", "munge.socket")); i++) {
      if (munged.exitCode !== null || i > 100) throw new Error("munged did not start");
      await sleep(100);
    }
    daemon("slurmctld", ["-D", "-f", conf]);
    daemon("slurmd", ["-D", "-f", conf, "-N", node]);
    const started = Date.now();
    for (;;) {
      const state = run("sinfo", ["-h", "-n", node, "-o", "%t"]).stdout.trim();
      if (state === "idle") break;
      if (children.some((c) => c.exitCode !== null) || Date.now() - started > timeoutMs) {
        throw new Error(`the node did not become idle (sinfo: ${JSON.stringify(state)})`);
      }
      await sleep(250);
    }
  } catch (error) {
    const message = `${(error as Error).message}\n${logs()}`;
    await stop();
    throw new Error(message);
  }

  const waitForJobs = async (ids: string[], waitMs: number) => {
    const started = Date.now();
    for (;;) {
      const active = ids.flatMap(jobRecords).filter((r) => /^(PENDING|RUNNING|CONFIGURING|COMPLETING|REQUEUED|SUSPENDED)$/.test(r.JobState ?? ""));
      if (active.length === 0) return;
      if (Date.now() - started > waitMs) {
        throw new Error(`jobs still active after ${waitMs} ms: ${active.map((r) => `${r.JobId} ${r.JobState} ${r.Reason}`).join("; ")}\n${logs()}`);
      }
      await sleep(500);
    }
  };

  return { dir, node, env, run, waitForJobs, jobRecords, logs, stop };
}
