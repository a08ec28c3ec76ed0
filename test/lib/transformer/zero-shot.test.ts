import { describe, expect, it } from "vitest";
import { bestDrawnPrompt, type PromptOutcome } from "../../../src/lib/transformer/index.js";

const outcome = (caption: string, group: PromptOutcome["group"], mentioned: string[], sampleFound: string[][]) => ({ caption, group, mentioned, sampleFound });

describe("bestDrawnPrompt (the transformer page's default prompt)", () => {
  it("is the group's prompt whose samples show the largest share of the objects it names", () => {
    const prompts = [
      outcome("a dog and a cat", "unseen", ["cat", "dog"], [["dog"], []]), // 1/4
      outcome("a cup, a tie and a bus", "unseen", ["bus", "cup", "tie"], [["cup", "tie"], ["bus"]]), // 3/6
      outcome("a kite and a car", "seen", ["car", "kite"], [["car", "kite"], ["car", "kite"]]), // another group
    ];
    expect(bestDrawnPrompt(prompts, "unseen")).toBe("a cup, a tie and a bus");
    expect(bestDrawnPrompt(prompts, "seen")).toBe("a kite and a car");
  });

  it("counts only named objects, keeps the first prompt on a tie, and is null for a group without prompts", () => {
    const prompts = [
      outcome("first", "unseen", ["cat", "dog"], [[], []]),
      outcome("second", "unseen", ["bird"], [["cat", "dog"]]), // found, but not what it names
    ];
    expect(bestDrawnPrompt(prompts, "unseen")).toBe("first");
    expect(bestDrawnPrompt(prompts, "seen")).toBeNull();
  });
});
