import { describe, expect, it } from "vitest";
import { ATTRITION_STAGES, OVERALL_YIELD, attritionReferenceRows } from "../../../src/lib/reference/index.js";

describe("attritionReferenceRows()", () => {
  const rows = attritionReferenceRows();

  it("has one row per paper stage, in pipeline order", () => {
    expect(rows.map((r) => r.stage_id)).toEqual(["image", "text", "image-text", "transformation", "entity-type"]);
    expect(rows.map((r) => r.stage_order)).toEqual([1, 2, 3, 4, 5]);
  });

  it("computes the implied remaining share as the running product of stage rates", () => {
    let product = 1;
    for (const row of rows) {
      product *= row.pass_rate;
      expect(row.implied_remaining).toBeCloseTo(product, 12);
    }
  });

  it("shows that the stated rates imply 0.42% after stage 3, not the stated 0.2%", () => {
    const stage3 = rows.find((r) => r.stage_id === "image-text")!;
    expect(stage3.implied_remaining).toBeCloseTo(0.0042, 10);
    expect(stage3.stated_overall).toBe(OVERALL_YIELD.value);
    expect(rows.filter((r) => r.stated_overall !== null)).toHaveLength(1);
  });

  it("cites a paper and a section for every stage", () => {
    for (const stage of ATTRITION_STAGES) {
      expect(stage.passRate.source.paper).toMatch(/Sharma et al\. 2018/);
      expect(stage.passRate.source.where).toMatch(/§3/);
    }
    expect(rows.every((r) => r.source.length > 0 && r.approximate)).toBe(true);
  });
});
