// CPU time of the local API Worker, two ways (Linux only):
//  - ProcessCpu samples utime + stime of the `workerd` processes under the API's `wrangler dev`
//    (from /proc, 10 ms ticks) every 25 ms. It includes everything that process runs: the Worker,
//    its Durable Objects, and the local D1 (SQLite), which in production run elsewhere and do not
//    count toward the Worker's CPU: an upper bound.
//  - IsolateProfile records a V8 CPU profile of the Worker's isolate through wrangler's inspector
//    (what DevTools' profiler does): JavaScript, and the garbage collector, in the isolate that runs
//    the consumer and the RateLimiter object; not D1. Sampled every 0.5 ms, so a close figure (the profiler adds a little work of its own).
import { readdirSync, readFileSync } from "node:fs";
import { WebSocket } from "ws";

const TICK_MS = 10; // USER_HZ is 100 on Linux

function stat(pid: number): { ppid: number; cpuMs: number; comm: string } | null {
  try {
    const raw = readFileSync(`/proc/${pid}/stat`, "utf8");
    const close = raw.lastIndexOf(")");
    const comm = raw.slice(raw.indexOf("(") + 1, close);
    const fields = raw.slice(close + 2).split(" ");
    return { comm, ppid: Number(fields[1]), cpuMs: (Number(fields[11]) + Number(fields[12])) * TICK_MS };
  } catch {
    return null;
  }
}

function cmdline(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, "utf8").replaceAll("\0", " ");
  } catch {
    return "";
  }
}

/** The workerd processes started by the `wrangler dev` that listens on `port`. */
export function workerdPidsFor(port: number): number[] {
  const pids = readdirSync("/proc").filter((d) => /^\d+$/.test(d)).map(Number);
  const wrangler = pids.find((pid) => /wrangler.*\sdev\s/.test(cmdline(pid)) && cmdline(pid).includes(`--port ${port} `));
  if (wrangler === undefined) throw new Error(`no wrangler dev on port ${port}`);
  const children = new Map<number, number[]>();
  for (const pid of pids) {
    const s = stat(pid);
    if (s) children.set(s.ppid, [...(children.get(s.ppid) ?? []), pid]);
  }
  const out: number[] = [];
  const walk = (pid: number) => {
    for (const child of children.get(pid) ?? []) {
      if (stat(child)?.comm === "workerd") out.push(child);
      walk(child);
    }
  };
  walk(wrangler);
  return out;
}

export class ProcessCpu {
  private readonly samples: { at: number; cpuMs: number }[] = [];
  private timer: ReturnType<typeof setInterval> | undefined;

  constructor(private readonly pids: number[]) {}

  private sample(): void {
    const cpuMs = this.pids.reduce((n, pid) => n + (stat(pid)?.cpuMs ?? 0), 0);
    this.samples.push({ at: Date.now(), cpuMs });
  }

  start(): void {
    this.sample();
    this.timer = setInterval(() => this.sample(), 25);
  }

  stop(): void {
    clearInterval(this.timer);
    this.sample();
  }

  private at(t: number): number {
    const s = this.samples;
    const i = s.findIndex((x) => x.at >= t);
    if (i <= 0) return (i === 0 ? s[0] : s.at(-1))?.cpuMs ?? 0;
    const a = s[i - 1]!;
    const b = s[i]!;
    return a.cpuMs + ((b.cpuMs - a.cpuMs) * (t - a.at)) / Math.max(1, b.at - a.at);
  }

  /** CPU ms the processes used between two epoch-ms instants. */
  between(from: number, to: number): number {
    return this.at(to) - this.at(from);
  }
}

type Profile = { nodes: { id: number; callFrame: { functionName: string } }[]; startTime: number; samples: number[]; timeDeltas: number[] };

/** A V8 CPU profile of the Worker's isolate, through the inspector wrangler dev exposes. */
export class IsolateProfile {
  private socket: WebSocket | undefined;
  private nextId = 1;
  private readonly pending = new Map<number, (result: unknown) => void>();
  private startedAtEpoch = 0;
  private profile: Profile | undefined;

  constructor(private readonly inspectorPort: number) {}

  private send<T>(method: string, params: Record<string, unknown> = {}): Promise<T> {
    const id = this.nextId++;
    return new Promise((resolve) => {
      this.pending.set(id, resolve as (r: unknown) => void);
      this.socket?.send(JSON.stringify({ id, method, params }));
    });
  }

  async start(): Promise<void> {
    const socket = new WebSocket(`ws://127.0.0.1:${this.inspectorPort}/`, { headers: { origin: "http://localhost" } });
    this.socket = socket;
    await new Promise<void>((resolve, reject) => {
      socket.once("open", () => resolve());
      socket.once("error", reject);
    });
    socket.on("message", (data) => {
      const msg = JSON.parse(String(data)) as { id?: number; result?: unknown };
      if (msg.id !== undefined) this.pending.get(msg.id)?.(msg.result);
    });
    await this.send("Profiler.enable");
    await this.send("Profiler.setSamplingInterval", { interval: 500 });
    this.startedAtEpoch = Date.now();
    await this.send("Profiler.start");
  }

  async stop(): Promise<Profile> {
    const { profile } = await this.send<{ profile: Profile }>("Profiler.stop");
    this.profile = profile;
    this.socket?.close();
    return profile;
  }

  /** Sampled ms per function name over the whole profile (largest first): what the figure is made of. */
  top(n: number): [string, number][] {
    const p = this.profile;
    if (!p) return [];
    const names = new Map(p.nodes.map((x) => [x.id, x.callFrame.functionName || "(anonymous)"]));
    const ms = new Map<string, number>();
    p.samples.forEach((id, i) => {
      const name = names.get(id) ?? "?";
      ms.set(name, (ms.get(name) ?? 0) + (p.timeDeltas[i + 1] ?? 0) / 1000);
    });
    return [...ms].sort((a, b) => b[1] - a[1]).slice(0, n);
  }

  /**
   * Sampled CPU ms between two epoch-ms instants: JavaScript and the garbage collector. workerd does
   * not tell V8 when its thread is idle, so waiting shows as "(program)" (with some native work);
   * that, "(root)" and "(idle)" are left out.
   */
  between(from: number, to: number): number {
    const p = this.profile;
    if (!p) return 0;
    const notWork = new Set(["(idle)", "(program)", "(root)"]);
    const idle = new Set(p.nodes.filter((n) => notWork.has(n.callFrame.functionName)).map((n) => n.id));
    let t = 0; // µs since the profile started
    let busyUs = 0;
    const lo = (from - this.startedAtEpoch) * 1000;
    const hi = (to - this.startedAtEpoch) * 1000;
    for (let i = 0; i < p.samples.length; i++) {
      const delta = p.timeDeltas[i] ?? 0;
      t += delta;
      if (t >= lo && t <= hi && !idle.has(p.samples[i] ?? -1)) busyUs += p.timeDeltas[i + 1] ?? delta;
    }
    return busyUs / 1000;
  }
}
