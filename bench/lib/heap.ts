// The Worker isolate's heap, read through the inspector that `wrangler dev` exposes (V8's
// Runtime.getHeapUsage over the DevTools protocol). Shared by bench:split and bench:import.
import { WebSocket } from "ws";

const MB = 1024 * 1024;

/**
 * Samples the Worker isolate's heap until stopped: every 250 ms the used and total heap (garbage
 * included: V8 collects lazily), and every 2 s the used heap right after a forced full collection
 * (HeapProfiler.collectGarbage), which is the live set, the part that must fit in 128 MB.
 */
export function heapSampler(inspectorPort: number) {
  const socket = new WebSocket(`ws://127.0.0.1:${inspectorPort}/`, { headers: { origin: "http://localhost" } });
  let id = 0;
  let peakUsed = 0;
  let peakTotal = 0;
  let peakLive = 0;
  let samples = 0;
  let last = { used: 0, total: 0 };
  const afterGc = new Set<number>();
  socket.on("message", (data) => {
    const msg = JSON.parse(String(data)) as { id?: number; result?: { usedSize: number; totalSize: number } };
    if (!msg.result || msg.id === undefined || msg.result.usedSize === undefined) return;
    samples++;
    last = { used: msg.result.usedSize, total: msg.result.totalSize };
    peakUsed = Math.max(peakUsed, msg.result.usedSize);
    peakTotal = Math.max(peakTotal, msg.result.totalSize);
    if (afterGc.delete(msg.id)) peakLive = Math.max(peakLive, msg.result.usedSize);
  });
  const opened = new Promise<void>((resolve, reject) => {
    socket.once("open", () => resolve());
    socket.once("error", reject);
  });
  let tick = 0;
  const timer = setInterval(() => {
    if (socket.readyState !== WebSocket.OPEN) return;
    if (++tick % 8 === 0) {
      socket.send(JSON.stringify({ id: ++id, method: "HeapProfiler.collectGarbage" }));
      afterGc.add(id + 1);
    }
    socket.send(JSON.stringify({ id: ++id, method: "Runtime.getHeapUsage" }));
  }, 250);
  return {
    opened,
    reset() {
      peakUsed = 0;
      peakTotal = 0;
      peakLive = 0;
      samples = 0;
    },
    read: () => ({ peakUsedMB: peakUsed / MB, peakTotalMB: peakTotal / MB, peakLiveMB: peakLive / MB, samples, lastUsedMB: last.used / MB }),
    stop() {
      clearInterval(timer);
      socket.close();
    },
  };
}

