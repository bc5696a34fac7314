// A trailing slash names the same route (issue #5 asks it of the import API; it holds everywhere).
import { describe, expect, it } from "vitest";
import { api, createLocation, json, token, uid } from "./helpers";

describe("trailing slashes", () => {
  it("are tolerated on list and create routes", async () => {
    const id = uid();
    await createLocation(id);
    const t = await token([id]);
    const created = await api("/api/contactlists/", { token: t, body: { name: "Slashy" } });
    expect(created.status, await created.clone().text()).toBeLessThan(300);
    const listed = await api("/api/contactlists/", { token: t });
    expect(listed.status).toBe(200);
    expect(JSON.stringify(await json(listed))).toContain("Slashy");
    expect((await api(`/api/location-contacts/?location_id=${id}`, { token: t })).status).toBe(200);
  });
});
