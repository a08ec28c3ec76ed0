// The built-in synthetic crawl's configuration and counts (noise classes observed beside their configured rates), as JSON.
import { generateCrawl, summarizeCrawl } from "../lib/synth/index.js";
import { defaultNameLists, sampleConfigFromEnv } from "../lib/synth/node-index.js";

const crawl = generateCrawl(sampleConfigFromEnv(process.env), defaultNameLists());
process.stdout.write(`${JSON.stringify(summarizeCrawl(crawl), null, 2)}\n`);
