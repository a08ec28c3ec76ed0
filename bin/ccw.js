#!/usr/bin/env node
// The `ccw` command: runs the CLI compiled to JavaScript in .ccw/ (see tools/cli-build.mjs: built by `npm install`,
// rebuilt here first whenever a source changed), so it starts without a TypeScript loader.
import { compiledCli } from "../tools/cli-build.mjs";

const { main } = await import(await compiledCli());
process.exitCode = await main(process.argv.slice(2));
