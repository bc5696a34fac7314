// Groups the split's batch messages into sendBatch calls within the queue's per-call limits, and
// counts each call against the invocation's budget (a queue send is a subrequest).
import type { ImportBatchMessage } from "../../shared/schemas/messages-imports";
import type { InvocationBudget } from "./budget";

/** Queue sendBatch limits: 100 messages and 256 KB per call (kept under with a margin). */
const SEND_MAX_MESSAGES = 100;
const SEND_MAX_BYTES = 200_000;

export class Sender {
  private pending: { body: ImportBatchMessage; size: number }[] = [];

  constructor(
    private readonly queue: Queue,
    private readonly budget: InvocationBudget,
  ) {}

  add(body: ImportBatchMessage, size: number): void {
    this.pending.push({ body, size });
  }

  /** sendBatch calls that flushing what is pending will make. */
  calls(): number {
    let calls = 0;
    let count = 0;
    let bytes = 0;
    for (const { size } of this.pending) {
      if (count === 0 || count >= SEND_MAX_MESSAGES || bytes + size > SEND_MAX_BYTES) {
        calls++;
        count = 0;
        bytes = 0;
      }
      count++;
      bytes += size;
    }
    return calls;
  }

  async flush(): Promise<void> {
    let group: MessageSendRequest[] = [];
    let groupBytes = 0;
    const send = async () => {
      this.budget.spend("subrequests");
      await this.queue.sendBatch(group);
      group = [];
      groupBytes = 0;
    };
    for (const { body, size } of this.pending) {
      if (group.length && (group.length >= SEND_MAX_MESSAGES || groupBytes + size > SEND_MAX_BYTES)) await send();
      group.push({ body, contentType: "json" });
      groupBytes += size;
    }
    if (group.length) await send();
    this.pending = [];
  }
}
