import { describe, expect, it } from "vitest";
import { memberCount, missingFor } from "./cooperatives";
import { codes } from "./enums";

describe("the stage rule", () => {
  it("counts active returnee members and members who are not returnees", () => {
    const rec = (id: string, fields: Record<string, unknown>) => ({ id, rev: 1, _pending: false, ...fields });
    const coop = rec("c1", { other_members: 2 });
    const members = [
      rec("m1", { cooperative: "c1", status: "active" }),
      rec("m2", { cooperative: "c1", status: "requested" }),
      rec("m3", { cooperative: "c1", status: "left" }),
      rec("m4", { cooperative: "c2", status: "active" }),
    ];
    expect(memberCount(coop, members)).toBe(3);
  });

  it("asks 3 for a social group, 5 from legally constituted on, none for an idea", () => {
    expect(missingFor("idea", 0)).toBe(0);
    expect(missingFor("social_group", 2)).toBe(1);
    expect(missingFor("social_group", 3)).toBe(0);
    expect(missingFor("legally_constituted", 3)).toBe(2);
    expect(missingFor("inaes_supported", 6)).toBe(0);
    expect(missingFor("inactive", 0)).toBe(0);
  });

  it("offers the catalog's stages in order", () => {
    expect(codes("coop_stage")).toEqual(["idea", "social_group", "legally_constituted", "inaes_requested", "inaes_supported", "inactive"]);
  });
});
