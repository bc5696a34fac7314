// The Odoo example addon (examples/odoo/crm_edge_widget), checked statically, without Odoo: the
// manifest is a Python literal Odoo 17 and 18 both accept, every XML file is well-formed, every
// file the addon names exists, every XML id it refers to is defined before use (or comes from a
// module it depends on), the client uses no module that only one of the two versions has, and
// minting a token is gated by the addon's own group, checked in the controller.
import { existsSync, readFileSync, readdirSync } from "node:fs";
import path from "node:path";
import { SaxesParser } from "saxes";
import { describe, expect, it } from "vitest";
import { type PyValue, parsePythonLiteral } from "./lib/python-literal";

const MODULE = "crm_edge_widget";
const ADDONS = path.resolve(import.meta.dirname, "../../examples/odoo");
const ADDON = path.join(ADDONS, MODULE);
const read = (rel: string) => readFileSync(path.join(ADDON, rel), "utf8");

type Manifest = { name: string; version: string; depends: string[]; data: string[]; assets: Record<string, string[]>; installable?: boolean };
const manifest = parsePythonLiteral(read("__manifest__.py")) as PyValue as Manifest;

type Element = { name: string; attributes: Record<string, string>; text: string };

/** Every element of a well-formed XML file (saxes throws on the first well-formedness error). */
function parseXml(rel: string): Element[] {
  const elements: Element[] = [];
  const open: Element[] = [];
  const parser = new SaxesParser({ fileName: rel });
  parser.on("opentag", (tag) => {
    const element = { name: tag.name, attributes: tag.attributes as Record<string, string>, text: "" };
    elements.push(element);
    open.push(element);
  });
  parser.on("text", (text) => {
    const top = open.at(-1);
    if (top) top.text += text;
  });
  parser.on("closetag", () => open.pop());
  parser.write(read(rel)).close();
  return elements;
}

function filesUnder(dir: string): string[] {
  return readdirSync(path.join(ADDON, dir), { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => path.relative(ADDON, path.join(e.parentPath, e.name)));
}

describe("the Odoo addon, statically", () => {
  it("has a manifest that parses as a Python literal with a version both Odoo 17 and 18 accept", () => {
    expect(manifest).toMatchObject({ name: expect.any(String), installable: true });
    // x.y or x.y.z: Odoo prefixes its series; a version starting with another series is rejected.
    expect(manifest.version).toMatch(/^\d+\.\d+(\.\d+)?$/);
    expect(manifest.depends).toContain("web");
  });

  it("names only files that exist, and every XML file in it is well-formed", () => {
    const named = [...manifest.data, ...Object.values(manifest.assets).flat().map((p) => path.relative(MODULE, p))];
    for (const rel of named) expect(existsSync(path.join(ADDON, rel)), rel).toBe(true);
    for (const p of Object.values(manifest.assets).flat()) expect(p.startsWith(`${MODULE}/`), p).toBe(true);
    const xml = filesUnder(".").filter((f) => f.endsWith(".xml"));
    expect(xml.length).toBeGreaterThanOrEqual(4);
    for (const rel of xml) expect(() => parseXml(rel), rel).not.toThrow();
    // Every XML and JS file ships: none lies in the folder unlisted.
    const shipped = new Set(named);
    for (const rel of filesUnder(".").filter((f) => /\.(xml|js)$/.test(f))) expect(shipped.has(rel), `${rel} is not in the manifest`).toBe(true);
  });

  it("imports only Python modules that exist", () => {
    for (const init of filesUnder(".").filter((f) => f.endsWith("__init__.py"))) {
      const dir = path.dirname(init);
      for (const [, name] of read(init).matchAll(/^from \. import (\w+)/gm)) {
        const asModule = path.join(ADDON, dir, `${name}.py`);
        const asPackage = path.join(ADDON, dir, name!, "__init__.py");
        expect(existsSync(asModule) || existsSync(asPackage), `${init}: ${name}`).toBe(true);
      }
    }
  });

  it("refers only to XML ids defined before use, or in a module it depends on", () => {
    const defined = new Set<string>();
    const external = new Set(["base", ...manifest.depends]);
    const refersTo = (id: string, where: string) => {
      const [module, name] = id.includes(".") ? id.split(".", 2) : [MODULE, id];
      if (module === MODULE) expect(defined.has(name!), `${where}: ${id} is not defined before this point`).toBe(true);
      else expect(external.has(module!), `${where}: ${id} is from a module the addon does not depend on`).toBe(true);
    };
    for (const rel of manifest.data) {
      for (const el of parseXml(rel)) {
        const a = el.attributes;
        for (const [, id] of Object.values(a).join(" ").matchAll(/ref\('([\w.]+)'\)/g)) refersTo(id!, rel);
        if (el.name === "field" && a.ref) refersTo(a.ref, rel);
        if (el.name === "menuitem") {
          for (const key of ["parent", "action"] as const) if (a[key]) refersTo(a[key], rel);
        }
        for (const group of (a.groups ?? "").split(",").filter(Boolean)) refersTo(group.trim(), rel);
        if (a.id && (el.name === "record" || el.name === "menuitem")) defined.add(a.id);
      }
    }
    expect(defined.size).toBeGreaterThan(0);
  });

  it("wires the client action: its tag is registered in the JS, its template defined in the assets XML", () => {
    const views = manifest.data.flatMap((rel) => parseXml(rel));
    const tag = views.find((el) => el.name === "field" && el.attributes.name === "tag")?.text.trim();
    const js = Object.values(manifest.assets).flat().filter((p) => p.endsWith(".js")).map((p) => read(path.relative(MODULE, p))).join("\n");
    expect(js).toContain(`registry.category("actions").add("${tag}"`);
    const template = /static template = "([^"]+)"/.exec(js)?.[1];
    const templates = Object.values(manifest.assets).flat().filter((p) => p.endsWith(".xml")).flatMap((p) => parseXml(path.relative(MODULE, p)));
    expect(templates.some((el) => el.attributes["t-name"] === template), `template ${template}`).toBe(true);
  });

  it("uses no client module that only one of Odoo 17 and 18 has", () => {
    const js = read("static/src/crm_edge_action.js");
    // Odoo 17's "rpc" service is gone in 18, and 18's @web/core/network/rpc does not exist in 17.
    expect(js).not.toMatch(/useService\(\s*["']rpc["']\s*\)/);
    const imports = [...js.matchAll(/^import .* from "([^"]+)";$/gm)].map((m) => m[1]);
    expect(imports.every((m) => m === "@odoo/owl" || m === "@web/core/registry"), imports.join(", ")).toBe(true);
  });

  it("lets only its own group mint a token: a res.groups record, checked in the controller, and the menu", () => {
    const groups = manifest.data.flatMap((rel) => parseXml(rel)).filter((el) => el.name === "record" && el.attributes.model === "res.groups");
    expect(groups).toHaveLength(1);
    const group = `${MODULE}.${groups[0]!.attributes.id}`;
    const controller = read("controllers/main.py");
    expect(controller).toContain(`WIDGET_GROUP = "${group}"`);
    // The check comes first in the route, before any parameter is read or token minted.
    const route = controller.slice(controller.indexOf('@http.route("/crm_edge/session"'));
    expect(route.indexOf("has_group(WIDGET_GROUP)")).toBeGreaterThan(0);
    expect(route.indexOf("has_group(WIDGET_GROUP)")).toBeLessThan(route.indexOf("get_param"));
    const menus = manifest.data.flatMap((rel) => parseXml(rel)).filter((el) => el.name === "menuitem" && !el.attributes.parent);
    for (const menu of menus) expect(menu.attributes.groups, menu.attributes.id).toBeTruthy();
  });
});

describe("parsePythonLiteral", () => {
  it("reads what manifests use and refuses what literal_eval refuses", () => {
    expect(parsePythonLiteral(`# c\n{"a": [1, 2.5, (True, None)], 'b': "x" 'y', "c": """m\nl""",}`)).toEqual({ a: [1, 2.5, [true, null]], b: "xy", c: "m\nl" });
    for (const bad of ['{"a": open("x")}', '{"a": 1 + 2}', '{"a": 1', "{'a': 1} extra"]) expect(() => parsePythonLiteral(bad), bad).toThrow(SyntaxError);
  });
});
