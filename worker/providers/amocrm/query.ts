// Query strings the way AmoCRM documents them: `filter[id][]=1&filter[id][]=2`. Brackets stay
// literal (fetch leaves them alone in a query), which keeps an id list about 30 % shorter than
// percent-encoded and lets a batch of ids fit the URL budget below.

export type Params = [string, string | number][];

/** A safe request-line length: well under the 8 KB most front-end servers (nginx) accept. */
export const URL_BUDGET = 6000;

export function buildUrl(base: string, path: string, params: Params): string {
  const qs = params.map(([k, v]) => `${k}=${encodeURIComponent(String(v))}`).join("&");
  return `${base}${path}${qs ? `?${qs}` : ""}`;
}

/**
 * Splits ids into batches of at most `max` whose `filter[...][]=id` lists keep each URL within
 * URL_BUDGET given the rest of the request (`fixed`: the URL without the id list).
 */
export function idBatches(ids: readonly string[], key: string, max: number, fixed: string): string[][] {
  const batches: string[][] = [];
  let batch: string[] = [];
  let length = fixed.length;
  for (const id of ids) {
    const cost = key.length + 2 + id.length; // "&" + key + "=" + id
    if (batch.length > 0 && (batch.length >= max || length + cost > URL_BUDGET)) {
      batches.push(batch);
      batch = [];
      length = fixed.length;
    }
    batch.push(id);
    length += cost;
  }
  if (batch.length) batches.push(batch);
  return batches;
}
