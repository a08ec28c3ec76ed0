// The build's own record for the Reproduce page: git commit, Node and package versions, npm scripts, loader configuration, every model's recorded recipe, seeds and training time, the benchmark run.
import { resolve } from "node:path";
import { reproduceRecord } from "../lib/report/node.js";

process.stdout.write(JSON.stringify(reproduceRecord(resolve(import.meta.dirname, "..", ".."))));
