#!/usr/bin/env node
// The `ccw` command: runs the TypeScript CLI in src/cli through tsx, so a clone works without a compile step.
import { register } from "tsx/esm/api";

register();
const { main } = await import("../src/cli/main.ts");
process.exitCode = await main(process.argv.slice(2));
