// PageFeed: pages in order, fetched ahead of a slow writer but never more than `buffer` ahead;
// page-numbered guesses past the end are dropped.
import { describe, expect, it } from "vitest";
import type { KindPage } from "../../worker/providers/sync-source";
import { PageFeed } from "../../worker/sync/page-feed";

/** An upstream of `pages` pages whose answers the test releases by hand. */
function upstream(pages: number) {
  const asked: unknown[] = [];
  const pending = new Map<number, () => void>();
  const fetchPage = (cursor: unknown): Promise<KindPage> => {
    asked.push(cursor);
    const n = typeof cursor === "number" ? cursor : 1;
    return new Promise((resolve) => {
      pending.set(n, () =>
        resolve({ kind: "notes", page: { records: n <= pages ? [] : [], next: n < pages ? n + 1 : null, total: null } }),
      );
    });
  };
  const answer = async (n: number) => {
    pending.get(n)?.();
    pending.delete(n);
    await new Promise((r) => setTimeout(r, 0)); // let the feed react to the answer
  };
  return { asked, fetchPage, answer };
}

describe("PageFeed", () => {
  it("a cursor-chained source asks for the next page as soon as an answer names it, up to the buffer", async () => {
    const up = upstream(5);
    const feed = new PageFeed(up.fetchPage, { buffer: 2, open: () => true }, null);
    expect(up.asked).toEqual([null]);
    await up.answer(1);
    expect(up.asked).toEqual([null, 2]); // page 1 not taken yet: 2 in the buffer, no more
    await up.answer(2);
    expect(up.asked).toEqual([null, 2]);
    expect((await feed.take())?.page.next).toBe(2); // the writer takes page 1: room for page 3
    expect(up.asked).toEqual([null, 2, 3]);
  });

  it("a page-numbered source guesses ahead once a run has a second page; a guess past the last page is dropped", async () => {
    const up = upstream(2);
    const feed = new PageFeed(up.fetchPage, { buffer: 2, cursorAfter: (c) => (typeof c === "number" ? c : 1) + 1, open: () => true }, null);
    expect(up.asked).toEqual([null]); // a one-page run must cost one request
    await up.answer(1);
    expect(up.asked).toEqual([null, 2]); // page 2 is named; page 1 still fills the buffer
    const first = await feed.take();
    expect(first?.page.next).toBe(2);
    expect(up.asked).toEqual([null, 2, 3]); // page 3 is a guess
    await up.answer(3);
    await up.answer(2);
    expect((await feed.take())?.page.next).toBeNull();
    expect(await feed.take()).toBeNull(); // the guess past the end never reaches the writer
  });

  it("asks for nothing new once the slice closes", async () => {
    const up = upstream(5);
    let open = true;
    const feed = new PageFeed(up.fetchPage, { buffer: 2, open: () => open }, null);
    open = false;
    await up.answer(1);
    expect((await feed.take())?.page.next).toBe(2);
    expect(await feed.take()).toBeNull();
    expect(up.asked).toEqual([null]);
  });

  it("asks open() only for a request it is about to send (open() reserves budget for that page)", async () => {
    const up = upstream(4);
    let opened = 0;
    const feed = new PageFeed(up.fetchPage, { buffer: 2, open: () => (opened++, true) }, null);
    for (let n = 1; n <= 4; n++) {
      await up.answer(n);
      await feed.take();
    }
    expect(await feed.take()).toBeNull();
    expect(up.asked).toEqual([null, 2, 3, 4]);
    expect(opened).toBe(3); // one per request after the first, none while waiting on an answer
  });
});
