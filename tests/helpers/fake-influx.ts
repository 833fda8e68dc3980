/**
 * A fake InfluxDB 1.x HTTP API on loopback, for fault injection only (the real InfluxDB cannot be
 * made to answer 401, 403, 404, 413 or 429 on demand): /ping answers 204, /query answers an empty
 * result (so InfluxStore.init() passes), and each /write is answered by `answer`, which tests
 * swap as they go. Every /write is recorded with its lines; the lines of 2xx answers are "stored".
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeWrite {
  status: number;
  lines: string[];
}

export interface FakeAnswer {
  status: number;
  /** InfluxDB's JSON error text, sent as {"error": …} */
  error?: string;
}

export interface FakeInflux {
  readonly url: string;
  /** every /write request, in arrival order */
  readonly writes: FakeWrite[];
  /** the lines of every accepted (2xx) write, in order */
  readonly stored: string[];
  answer: (lines: string[]) => FakeAnswer;
  close(): Promise<void>;
}

export async function startFakeInflux(): Promise<FakeInflux> {
  const writes: FakeWrite[] = [];
  const stored: string[] = [];
  const fake = {
    url: '',
    writes,
    stored,
    answer: (_lines: string[]): FakeAnswer => ({ status: 204 }),
    close: async (): Promise<void> => {},
  };
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://fake');
      if (url.pathname === '/ping') {
        res.writeHead(204, { 'x-influxdb-version': 'fake-1.8' }).end();
        return;
      }
      if (url.pathname === '/query') {
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ results: [{ statement_id: 0 }] }));
        return;
      }
      if (url.pathname !== '/write') {
        res.writeHead(404).end();
        return;
      }
      const lines = Buffer.concat(chunks).toString('utf8').split('\n').filter((l) => l.length > 0);
      const a = fake.answer(lines);
      writes.push({ status: a.status, lines });
      if (a.status >= 200 && a.status < 300) {
        stored.push(...lines);
        res.writeHead(a.status).end();
      } else {
        res.writeHead(a.status, { 'content-type': 'application/json' }).end(JSON.stringify({ error: a.error ?? `status ${a.status}` }));
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  fake.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  fake.close = () => new Promise<void>((resolve) => {
    server.closeAllConnections();
    server.close(() => resolve());
  });
  return fake;
}
