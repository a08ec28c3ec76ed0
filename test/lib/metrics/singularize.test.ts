import { describe, expect, it } from "vitest";
import { singularize } from "../../../src/lib/metrics/index.js";

describe("singularize()", () => {
  it("undoes regular plurals", () => {
    expect(["dogs", "buses", "boxes", "benches", "dishes", "ponies", "horses", "shoes", "tomatoes", "giraffes"].map(singularize)).toEqual(
      ["dog", "bus", "box", "bench", "dish", "pony", "horse", "shoe", "tomato", "giraffe"],
    );
  });

  it("knows irregular plurals and -men compounds", () => {
    expect(["men", "women", "children", "people", "knives", "leaves", "mice", "policemen", "firemen", "skis"].map(singularize)).toEqual(
      ["man", "woman", "child", "person", "knife", "leaf", "mouse", "policeman", "fireman", "ski"],
    );
  });

  it("leaves singulars, invariant nouns and -ie words alone or restores them correctly", () => {
    expect(["grass", "bus", "tennis", "sheep", "scissors", "glasses", "specimen", "is", "cat"].map(singularize)).toEqual(
      ["grass", "bus", "tennis", "sheep", "scissors", "glasses", "specimen", "is", "cat"],
    );
    expect(["cookies", "ties", "pies", "headaches"].map(singularize)).toEqual(["cookie", "tie", "pie", "headache"]);
  });
});

describe("singularize() on words every object inherits", () => {
  it("returns \"constructor\" and \"constructors\" as words, not Object's members", () => {
    expect(singularize("constructor")).toBe("constructor");
    expect(singularize("constructors")).toBe("constructor");
    expect(singularize("tostring")).toBe("tostring");
  });
});
