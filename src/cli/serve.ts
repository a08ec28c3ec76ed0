import { stat } from "node:fs/promises";
import { resolve } from "node:path";
import { intOption, UsageError, type Command } from "./command.js";
import { startStaticServer } from "./static-server.js";

export const serveCommand: Command = {
  name: "serve",
  summary: "serve the built report (dist/) on a local port",
  usage: `Usage: ccw serve [dir] [options]

Serves a built site folder over HTTP until interrupted (Ctrl-C).

Arguments:
  dir                 folder to serve (default: dist, the output of \`npm run build\`)

Options:
  --host <address>    interface to bind (default: 127.0.0.1, loopback only)
  --port <n>          port, 0 for any free one (default: 3000)
  --isolate           send COOP/COEP headers (cross-origin isolation, for wasm threads)
  -h, --help          show this help`,
  options: {
    host: { type: "string" },
    port: { type: "string" },
    isolate: { type: "boolean" },
  },
  allowPositionals: true,
  async run({ values, positionals }, io) {
    if (positionals.length > 1) throw new UsageError(`ccw serve: expected at most one folder, got ${positionals.length}: ${positionals.join(" ")}`);
    // Options first: a bad value is reported the same whether or not the site has been built.
    const port = intOption("serve", "port", values.port, 3000, 0, 65535);
    const root = resolve(positionals[0] ?? "dist");
    const isDir = await stat(root).then((s) => s.isDirectory(), () => false);
    if (!isDir) throw new UsageError(`ccw serve: ${root} is not a folder; build the site first with \`npm run build\`, or name a folder to serve`);
    const host = (values.host as string | undefined) ?? "127.0.0.1";
    let running;
    try {
      running = await startStaticServer({ root, host, port, crossOriginIsolated: Boolean(values.isolate) });
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
