// One AbuseLimiter object per limited key ("sso-ip:203.0.113.9", "upstream-loc:demo", …): it only
// counts. State is written before the reply (an eviction never refills a bucket early) and the
// alarm deletes it once the bucket would be full again anyway.
import { DurableObject } from "cloudflare:workers";
import { type BucketState, type LimitRule, type Verdict, fullAt, fullBucket, take } from "./bucket";

const STORAGE_KEY = "bucket";
type Stored = { state: BucketState; rule: LimitRule };

export class AbuseLimiter extends DurableObject<Env> {
  /** Takes `cost` tokens under `rule` (0 only looks whether one more would pass). */
  async take(rule: LimitRule, cost = 1): Promise<Verdict> {
    if (!(rule.limit >= 1 && rule.windowMs >= 1)) throw new RangeError("rule needs limit ≥ 1 and windowMs ≥ 1");
    const now = Date.now();
    const stored = this.ctx.storage.kv.get<Stored>(STORAGE_KEY);
    const before = stored ? stored.state : fullBucket(rule, now);
    const { state, verdict } = take(before, rule, now, cost);
    if (cost > 0 || stored) {
      this.ctx.storage.kv.put(STORAGE_KEY, { state, rule } satisfies Stored);
      await this.ctx.storage.setAlarm(Math.max(now + 1000, fullAt(state, rule)));
    }
    return verdict;
  }

  override async alarm(): Promise<void> {
    const stored = this.ctx.storage.kv.get<Stored>(STORAGE_KEY);
    if (!stored) return;
    const at = fullAt(stored.state, stored.rule);
    if (at <= Date.now()) await this.ctx.storage.deleteAll();
    else await this.ctx.storage.setAlarm(at);
  }
}
