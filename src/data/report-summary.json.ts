// The front page's data: the sidebar's pages, and its model numbers: the dVAE's held-out PSNR and codebook use (models/dvae-small/eval.json) and the transformer's zero-shot report, or a record saying it is not there yet (the build never fails on it).
import { resolve } from "node:path";
import { reportSummary } from "../lib/report/node.js";

process.stdout.write(JSON.stringify(await reportSummary(resolve(import.meta.dirname, "..", ".."))));
