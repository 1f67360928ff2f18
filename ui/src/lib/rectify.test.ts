import { describe, expect, it } from "vitest";
import { shownValue } from "./rectify";

describe("shownValue", () => {
  const states = [{ id: "st_sonora_00001", name: "Sonora" }];
  it("names the birth state, never its id", () => {
    expect(shownValue("birth_state", "st_sonora_00001", states)).toBe("Sonora");
  });
  it("labels codes in plain words", () => {
    expect(shownValue("sex", "M", states)).toBe("Mujer");
    expect(shownValue("sector_in_us", "agriculture", states)).toBe("Agricultura");
  });
  it("shows a dash for nothing and text as it is", () => {
    expect(shownValue("given_names", "", states)).toBe("—");
    expect(shownValue("given_names", null, states)).toBe("—");
    expect(shownValue("given_names", "Ana", states)).toBe("Ana");
  });
});
