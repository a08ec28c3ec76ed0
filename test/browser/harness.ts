// Drives Debian's Chromium with playwright-core against the built site served on 127.0.0.1.
import { existsSync } from "node:fs";
import { join, resolve } from "node:path";
import { chromium, type Browser, type BrowserContext, type Page } from "playwright-core";
import { startStaticServer, type RunningServer } from "../../src/cli/static-server.js";

export const ROOT = resolve(import.meta.dirname, "..", "..");
export const DIST = join(ROOT, "dist");

/** Chromium to drive: $CCW_CHROMIUM, else Debian's package. */
export const chromiumPath = (): string => process.env.CCW_CHROMIUM || "/usr/bin/chromium";

export interface Session {
  server: RunningServer;
  browser: Browser;
  close(): Promise<void>;
}

export interface Visit {
  page: Page;
  context: BrowserContext;
  /** console.error messages and uncaught page errors, in order. */
  errors: string[];
  /** Every URL the page or its workers asked for. */
  requests: string[];
  /** URLs of requests to any origin but the local server; they are blocked, and recorded here. */
  external: Set<string>;
}

export async function openSession(options: { webgpu?: boolean; root?: string } = {}): Promise<Session> {
  const executablePath = chromiumPath();
  if (!existsSync(executablePath)) {
    throw new Error(
      `Chromium not found at ${executablePath}. The browser tests drive a real Chromium: ` +
        "install Debian's package with `sudo apt-get install -y chromium`, " +
        "or set CCW_CHROMIUM to the path of a Chromium binary.",
    );
  }
  const server = await startStaticServer({ root: options.root ?? DIST, host: "127.0.0.1", port: 0 });
  // playwright-core gives each launch a fresh, empty profile of its own.
  const browser = await chromium.launch({
    executablePath,
    headless: true,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      // Belt and braces: no name but the loopback address resolves, so nothing can leave the machine.
      "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1",
      ...(options.webgpu ? ["--enable-unsafe-webgpu"] : []),
    ],
  });
  return {
    server,
    browser,
    async close() {
      await browser.close();
      await server.close();
    },
  };
}

/** Opens a page of the site, recording console errors and every request; non-local requests are aborted. */
export async function visit(session: Session, path: string, viewport = { width: 1280, height: 900 }): Promise<Visit> {
  const origin = new URL(session.server.url).origin;
  const context = await session.browser.newContext({ viewport });
  const errors: string[] = [];
  const requests: string[] = [];
  const external = new Set<string>();
  const isLocal = (url: string) => url.startsWith(`${origin}/`) || url.startsWith("data:") || url.startsWith("blob:");
  await context.route("**/*", (route) => {
    const url = route.request().url();
    if (isLocal(url)) return route.continue();
    external.add(url);
    return route.abort("blockedbyclient");
  });
  context.on("request", (request) => {
    requests.push(request.url());
    if (!isLocal(request.url())) external.add(request.url());
  });
  const page = await context.newPage();
  page.on("console", (message) => {
    if (message.type() === "error") errors.push(`console.error: ${message.text()}`);
  });
  page.on("pageerror", (error) => errors.push(`page error: ${error.message}`));
  await page.goto(new URL(path, session.server.url).href, { waitUntil: "load" });
  return { page, context, errors, requests, external };
}
