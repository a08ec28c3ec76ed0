// Builds WARC files in memory with warcio's own serializer, so tests read what real tools write.
import { WARCRecord, WARCSerializer } from "warcio";

export interface FakeResponse {
  url: string;
  contentType?: string;
  status?: number;
  body: Uint8Array | string;
  type?: "response" | "request" | "metadata";
}

export async function warcRecord(r: FakeResponse, gzip: boolean): Promise<Uint8Array> {
  const body = typeof r.body === "string" ? new TextEncoder().encode(r.body) : r.body;
  const record = await WARCRecord.create(
    {
      url: r.url,
      date: "2024-05-01T12:00:00Z",
      type: r.type ?? "response",
      warcVersion: "WARC/1.1",
      statusline: `HTTP/1.1 ${r.status ?? 200} ${r.status === 404 ? "Not Found" : "OK"}`,
      httpHeaders: r.type === "metadata" ? undefined : { "Content-Type": r.contentType ?? "text/html" },
    },
    (async function* () {
      yield body;
    })(),
  );
  return WARCSerializer.serialize(record, { gzip });
}

export async function makeWarc(responses: FakeResponse[], gzip: boolean): Promise<{ bytes: Uint8Array; offsets: number[] }> {
  const parts = await Promise.all(responses.map((r) => warcRecord(r, gzip)));
  const offsets: number[] = [];
  let total = 0;
  for (const p of parts) {
    offsets.push(total);
    total += p.byteLength;
  }
  const bytes = new Uint8Array(total);
  parts.forEach((p, i) => bytes.set(p, offsets[i]!));
  return { bytes, offsets };
}
