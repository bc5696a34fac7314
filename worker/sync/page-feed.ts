// A run's pages, fetched in order ahead of the writer. Writing a page to D1 can take longer than
// the bucket's interval (the local D1 is shared by every run), so fetches must not wait for
// writes: the feed asks for the next page as soon as the previous answer names it (cursor-chained
// sources, GHL) or, once the run is known to have more than one page, by number (AmoCRM; a guess
// past the end costs one empty answer), keeping at most `buffer` pages requested but not yet taken by the writer.
import type { KindPage } from "../providers/sync-source";

export type FeedOptions = {
  /** Pages requested and not yet taken; bounds what a crash makes the next driver fetch again. */
  buffer: number;
  /** The cursor of the page after `cursor` before any answer names it (page-numbered sources). */
  cursorAfter?: (cursor: unknown) => unknown;
  /** False once no new page should be asked for (the time slice is nearly over, the budget is spent). */
  open: () => boolean;
};

type Entry = { cursor: unknown; page: Promise<KindPage>; answer?: KindPage; failed?: boolean };

export class PageFeed {
  private readonly queue: Entry[] = [];
  private tail: Entry | undefined;
  private ended = false;
  /** Some answer named a next page: only then are page numbers guessed (a one-page run asks once). */
  private more = false;

  constructor(
    private readonly fetchPage: (cursor: unknown) => Promise<KindPage>,
    private readonly options: FeedOptions,
    start: unknown,
  ) {
    this.request(start);
  }

  /** The next page in order; null when there is no further page asked for. Throws its fetch error. */
  async take(): Promise<KindPage | null> {
    const head = this.queue.shift();
    if (!head) return null;
    const page = await head.page;
    if (page.page.next === null) this.end();
    else this.fill();
    return page;
  }

  private request(cursor: unknown): void {
    const entry: Entry = { cursor, page: this.fetchPage(cursor) };
    this.queue.push(entry);
    this.tail = entry;
    entry.page.then(
      (answer) => {
        entry.answer = answer;
        if (answer.page.next !== null) this.more = true;
        if (answer.page.next === null) this.end();
        else if (this.tail === entry) this.fill();
      },
      () => {
        entry.failed = true; // surfaces when taken; nothing is chained after a failure
      },
    );
  }

  /**
   * Asks for more while there is room: the page the tail's answer names, or the next number.
   * `open()` is asked only right before a request goes out (it may reserve budget for that page).
   */
  private fill(): void {
    while (!this.ended && this.queue.length < this.options.buffer) {
      const tail = this.tail;
      if (!tail || tail.failed) return;
      let next: unknown;
      if (tail.answer) {
        if (tail.answer.page.next === null) return;
        next = tail.answer.page.next;
      } else if (this.options.cursorAfter && this.more) {
        next = this.options.cursorAfter(tail.cursor);
      } else {
        return; // cursor-chained: the next cursor comes with the tail's answer
      }
      if (!this.options.open()) return;
      this.request(next);
    }
  }

  /** The last page is known: guesses beyond it are dropped (their answers are empty pages). */
  private end(): void {
    this.ended = true;
    const last = this.queue.findIndex((e) => e.answer?.page.next === null);
    if (last >= 0) this.queue.length = last + 1;
  }
}
