// Test host pages for the embedding tests: tiny node http servers, each its own origin (a port on
// 127.0.0.1), serving whatever HTML the test puts at a path. One origin is on the Worker's
// EMBED_ALLOWED_ORIGINS, one is not.
import { type Server, createServer } from "node:http";

export type HostServer = {
  origin: string;
  /** Serves `html` at `path` from now on. */
  page(path: string, html: string): string;
  close(): Promise<void>;
};

export async function startHost(port: number): Promise<HostServer> {
  const pages = new Map<string, string>();
  const server: Server = createServer((req, res) => {
    const html = pages.get(new URL(req.url ?? "/", "http://x").pathname);
    res.writeHead(html === undefined ? 404 : 200, { "content-type": "text/html; charset=utf-8", "cache-control": "no-store" });
    res.end(html ?? "not found");
  });
  await new Promise<void>((resolve, reject) => server.once("error", reject).listen(port, "127.0.0.1", () => resolve()));
  const origin = `http://127.0.0.1:${port}`;
  return {
    origin,
    page(path, html) {
      pages.set(path, html);
      return `${origin}${path}`;
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

const js = (value: unknown) => JSON.stringify(value).replace(/</g, "\\u003c");

/**
 * A CRM page that embeds the widget with web/public/embed.js and records what the widget says.
 * Several tokens: embed.js's getToken hands them out in order, one per handshake (the last one
 * from then on), and the page counts how many it gave.
 */
export function loaderPage(opts: { widgetUrl: string; token: string | string[]; locationId: string; height: number }): string {
  const tokens = Array.isArray(opts.token) ? opts.token : [opts.token];
  const widgetOrigin = new URL(opts.widgetUrl).origin;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Host CRM page</title>
<style>body{font:14px system-ui;margin:0;background:#eef1f6}header{padding:10px 16px;background:#1f2a44;color:#fff}
#crm-edge{margin:12px;background:#fff;border:1px solid #c9d0dc;border-radius:8px;overflow:hidden}</style></head>
<body><header>Host CRM page · ${new URL(opts.widgetUrl).host} widget embedded with embed.js</header>
<div id="crm-edge"></div>
<script>
  window.__fromWidget = [];
  window.addEventListener("message", (e) => { if (e.origin === ${js(widgetOrigin)}) window.__fromWidget.push(e.data); });
</script>
<script src="${opts.widgetUrl}embed.js"></script>
<script>
  const tokens = ${js(tokens)};
  window.__tokensGiven = 0;
  const getToken = () => Promise.resolve(tokens[Math.min(window.__tokensGiven++, tokens.length - 1)]);
  window.__widget = CrmEdge.mount({ target: "#crm-edge", getToken, locationId: ${js(opts.locationId)}, height: ${opts.height} });
</script>
</body></html>`;
}

/** A parent that behaves like GoHighLevel's custom page host: answers REQUEST_USER_DATA. */
export function ghlParentPage(opts: { widgetUrl: string; payload: string }): string {
  const widgetOrigin = new URL(opts.widgetUrl).origin;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>GoHighLevel custom page (test)</title>
<style>body{font:14px system-ui;margin:0;background:#f4f6fa}header{padding:10px 16px;background:#155eef;color:#fff}
iframe{display:block;width:calc(100% - 24px);height:560px;margin:12px;border:1px solid #c9d0dc;border-radius:8px;background:#fff}</style></head>
<body><header>GoHighLevel · custom menu link (test parent answering REQUEST_USER_DATA)</header>
<script>
  window.__fromWidget = [];
  window.addEventListener("message", (e) => {
    if (e.origin !== ${js(widgetOrigin)}) return;
    window.__fromWidget.push(e.data);
    if (e.data && e.data.message === "REQUEST_USER_DATA") {
      e.source.postMessage({ message: "REQUEST_USER_DATA_RESPONSE", payload: ${js(opts.payload)} }, "*");
    }
  });
</script>
<iframe src="${opts.widgetUrl}" title="CRM Edge"></iframe>
</body></html>`;
}

/**
 * An allowlisted page with the widget and a second frame (from `evilOrigin`) that tries to hand the
 * widget a forged token first; the page's own (valid) token follows only after the forgery was sent.
 */
export function forgeryPages(opts: { widgetUrl: string; token: string; evilOrigin: string }): { parent: string; evil: string } {
  const widgetOrigin = new URL(opts.widgetUrl).origin;
  const parent = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Host with a foreign frame</title></head><body>
<script>
  window.__log = [];
  let widget = null;
  window.addEventListener("message", (e) => {
    if (e.origin === ${js(widgetOrigin)} && e.data && e.data.type === "crm-edge:hello") {
      widget = e.source;
      window.__log.push("hello");
      document.getElementById("evil").contentWindow.postMessage("go", ${js(opts.evilOrigin)});
    } else if (e.origin === ${js(opts.evilOrigin)} && e.data === "forged-sent") {
      window.__log.push("forged-sent");
      widget.postMessage({ type: "crm-edge:token", token: ${js(opts.token)}, location_id: "demo" }, ${js(widgetOrigin)});
    }
  });
</script>
<iframe id="widget" src="${opts.widgetUrl}" style="width:100%;height:500px;border:0"></iframe>
<iframe id="evil" src="${opts.evilOrigin}/evil.html" style="width:10px;height:10px;border:0"></iframe>
</body></html>`;
  const evil = `<!doctype html><html><body><script>
  window.addEventListener("message", (e) => {
    if (e.data !== "go") return;
    // Straight at the widget frame, pretending to be the host.
    window.parent.frames[0].postMessage({ type: "crm-edge:token", token: "forged.token.value", location_id: "demo" }, "*");
    window.parent.postMessage("forged-sent", "*");
  });
</script></body></html>`;
  return { parent, evil };
}
