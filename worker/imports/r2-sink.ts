// Writes an upload to R2 as it streams in, holding at most one part in memory. R2's put() of a
// stream needs its length up front (a FixedLengthStream), which neither a multipart/form-data
// file nor a chunked raw body tells us; a multipart upload does not, and it only becomes an
// object when completed, after the inspection passed, so a refused upload is aborted and leaves
// nothing. A file that fits in one part (most lists) is a single put() instead of three calls.
// R2 wants every part but the last of one size, at least 5 MiB.

export const PART_BYTES = 5 * 1024 * 1024;

export class R2Sink {
  private chunks: Uint8Array[] = [];
  private buffered = 0;
  private upload: R2MultipartUpload | null = null;
  private readonly parts: R2UploadedPart[] = [];
  /** R2 operations made so far (each one a subrequest). */
  operations = 0;

  constructor(
    private readonly bucket: R2Bucket,
    private readonly key: string,
    private readonly options: R2MultipartOptions,
    private readonly partBytes = PART_BYTES,
  ) {}

  async write(chunk: Uint8Array): Promise<void> {
    this.chunks.push(chunk);
    this.buffered += chunk.length;
    while (this.buffered >= this.partBytes) await this.sendPart(this.take(this.partBytes));
  }

  /** Stores what is left and makes the object. */
  async finish(): Promise<void> {
    const rest = this.take(this.buffered);
    if (!this.upload) {
      this.operations++;
      await this.bucket.put(this.key, rest, this.options);
      return;
    }
    if (rest.length > 0) await this.sendPart(rest);
    this.operations++;
    await this.upload.complete(this.parts);
  }

  /** Drops the parts sent so far (the object was never made). */
  async abort(): Promise<void> {
    this.chunks = [];
    this.buffered = 0;
    if (!this.upload) return;
    this.operations++;
    await this.upload.abort().catch((err) => console.error(JSON.stringify({ event: "import.upload_abort_failed", key: this.key, error: String(err) })));
  }

  private async sendPart(bytes: Uint8Array): Promise<void> {
    if (!this.upload) {
      this.operations++;
      this.upload = await this.bucket.createMultipartUpload(this.key, this.options);
    }
    this.operations++;
    this.parts.push(await this.upload.uploadPart(this.parts.length + 1, bytes));
  }

  /** The first `n` buffered bytes as one array (the part being sent is the only copy held). */
  private take(n: number): Uint8Array {
    const out = new Uint8Array(n);
    let filled = 0;
    while (filled < n) {
      const head = this.chunks[0] as Uint8Array;
      const need = n - filled;
      if (head.length <= need) {
        out.set(head, filled);
        filled += head.length;
        this.chunks.shift();
      } else {
        out.set(head.subarray(0, need), filled);
        this.chunks[0] = head.subarray(need);
        filled += need;
      }
    }
    this.buffered -= n;
    return out;
  }
}
