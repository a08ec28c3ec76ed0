// @vitest-environment jsdom
// The report's charts at any width the page hands them, including the 0 px that Framework's `width` can be for a
// frame while the page lays out: never an SVG attribute Chromium rejects (a negative width or height).
import { describe, expect, it } from "vitest";
import { aggregateChart } from "../../src/components/captioning-views.js";
import { codebookHistogram } from "../../src/components/dvae-views.js";
import { termChart } from "../../src/components/explorer-words.js";
import { hypernymTypes } from "../../src/components/hypernym-types.js";
import { noiseClassChart } from "../../src/components/noise-class-chart.js";

/** Every width/height attribute in the chart that is negative or not a number, named by its element. */
function badSizes(chart: Element): string[] {
  const bad: string[] = [];
  for (const el of [chart, ...Array.from(chart.querySelectorAll("*"))]) {
    for (const name of ["width", "height"]) {
      const value = el.getAttribute(name);
      if (value !== null && !(Number(value.replace(/%$/, "")) >= 0)) bad.push(`<${el.tagName.toLowerCase()}> ${name}="${value}"`);
    }
  }
  return bad;
}

const charts: Record<string, (width: number) => Element> = {
  hypernymTypes: (width) => hypernymTypes([{ type: "person", n: 120 }, { type: "dog", n: 3 }, { type: "city", n: 14 }], { width, threshold: 5 }),
  noiseClassChart: (width) =>
    noiseClassChart([{ noise_class: "clean", count: 80, share: 0.8, configured_rate: 0.75 }, { noise_class: "boilerplate", count: 20, share: 0.2, configured_rate: 0.25 }], { width }),
  codebookHistogram: (width) => codebookHistogram([0, 4, 9, 1, 0, 2], { width }),
  termChart: (width) => termChart([{ term: "a photograph of", count: 12 }, { term: "dog", count: 3 }] as never, { width, label: "Words" }),
  aggregateChart: (width) => aggregateChart([{ model: "coco", style: "photo", bleu4: 0.2 }, { model: "conceptual", style: "photo", bleu4: 0.19 }], { metric: "bleu4", width }),
};

describe("the report's charts", () => {
  for (const [name, draw] of Object.entries(charts)) {
    it.each([0, 120, 400, 1280])(`${name} at %i px has no negative sizes`, (width) => {
      const chart = draw(width);
      expect(chart.querySelectorAll("svg").length + (chart.tagName.toLowerCase() === "svg" ? 1 : 0)).toBeGreaterThan(0);
      expect(badSizes(chart)).toEqual([]);
    });
  }
});
