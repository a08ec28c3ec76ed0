import { stat } from "node:fs/promises";
import { resolve } from "node:path";
import { UsageError, type Command } from "./command.js";
import { defineFlags, helpText, readFlags } from "./flags.js";
import { startStaticServer } from "./static-server.js";

const FLAGS = defineFlags({
  host: { type: "string", arg: "<address>", default: "127.0.0.1", defaultDoc: "loopback only", doc: "interface to bind" },
  port: { type: "int", min: 0, max: 65535, default: 3000, doc: "port, 0 for any free one" },
  isolate: { type: "boolean", doc: "send COOP/COEP headers (cross-origin isolation, for wasm threads)" },
});

export const serveCommand: Command = {
  name: "serve",
  summary: "serve the built report (dist/) on a local port",
  get usage() {
    return helpText(
      `Usage: ccw serve [dir] [options]

Serves a built site folder over HTTP until interrupted (Ctrl-C).

Arguments:
  dir                    folder to serve (default: dist, the output of \`npm run build\`)`,
      [{ title: "Options:", flags: FLAGS }],
    );
  },
  flags: FLAGS,
  allowPositionals: true,
  async run({ values, positionals }, io) {
    if (positionals.length > 1) throw new UsageError(`ccw serve: expected at most one folder, got ${positionals.length}: ${positionals.join(" ")}`);
    // Options first: a bad value is reported the same whether or not the site has been built.
    const { host, port, isolate } = readFlags("serve", FLAGS, values);
    const root = resolve(positionals[0] ?? "dist");
    const isDir = await stat(root).then((s) => s.isDirectory(), () => false);
    if (!isDir) throw new UsageError(`ccw serve: ${root} is not a folder; build the site first with \`npm run build\`, or name a folder to serve`);
    let running;
    try {
      running = await startStaticServer({ root, host, port, crossOriginIsolated: isolate });
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === "EADDRINUSE") throw new UsageError(`ccw serve: port ${port} on ${host} is in use; pass --port 0 for any free port`);
      if (code === "EADDRNOTAVAIL") throw new UsageError(`ccw serve: cannot bind ${host}; use 127.0.0.1 or an address of this machine`);
      throw error;
    }
    io.out(`Serving ${root}`);
    io.out(`Open ${running.url}  (Ctrl-C to stop)`);
    await new Promise<void>((done) => {
      const stop = () => {
        process.off("SIGINT", stop);
        process.off("SIGTERM", stop);
        void running.close().then(done);
      };
      process.on("SIGINT", stop);
      process.on("SIGTERM", stop);
    });
    return 0;
  },
};
