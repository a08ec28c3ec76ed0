/**
 * Node built-ins, imported only when a Node-only code path runs (local paths, folders, config
 * files). The specifier is a variable, not a literal, so a browser bundler (Framework, esbuild)
 * never tries to resolve `node:*` when a page imports this folder for its readers.
 */
const load = <T>(specifier: string): Promise<T> => import(/* @vite-ignore */ specifier) as Promise<T>;

export const nodeFs = () => load<typeof import("node:fs")>("node:fs");
export const nodeFsPromises = () => load<typeof import("node:fs/promises")>("node:fs/promises");
export const nodePath = () => load<typeof import("node:path")>("node:path");
export const nodeUrl = () => load<typeof import("node:url")>("node:url");
