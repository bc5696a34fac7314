// The sandbox's front door in the local stack: a plain Node proxy that stamps each request with
// the time it arrived (sandbox/arrival.ts) and passes it on unchanged. The sandbox Worker counts
// its rate limits by that stamp, as a real upstream's edge would; on its own it would count a
// request only when its isolate got to it, which a garbage collection pause delays by 100–300 ms.
import { type IncomingMessage, type ServerResponse, Agent, createServer, request } from "node:http";
import type { AddressInfo } from "node:net";
import { ARRIVAL_HEADER } from "../../sandbox/arrival";

export type Ingress = { close(): Promise<void> };

/** A free local port for the sandbox Worker behind the proxy (the OS picks it). */
export async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve, reject) => probe.once("error", reject).listen(0, "127.0.0.1", resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

export async function startSandboxIngress(listenPort: number, targetPort: number): Promise<Ingress> {
  const agent = new Agent({ keepAlive: true });
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const arrivedAt = Date.now();
    const upstream = request(
      { host: "127.0.0.1", port: targetPort, method: req.method, path: req.url, agent, headers: { ...req.headers, [ARRIVAL_HEADER]: String(arrivedAt) } },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    upstream.on("error", (err) => {
      // The sandbox is starting or gone: say so, as a gateway would.
      if (!res.headersSent) res.writeHead(502, { "content-type": "text/plain" });
      res.end(`sandbox unreachable: ${err.message}`);
    });
    req.pipe(upstream);
  });
  await new Promise<void>((resolve, reject) => server.once("error", reject).listen(listenPort, "127.0.0.1", resolve));
  return {
    close: () =>
      new Promise<void>((resolve) => {
        agent.destroy();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
