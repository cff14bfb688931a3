import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A local stand-in for Slack's incoming webhook: records every message; can refuse the first few. */
export interface SlackReceiver {
  url: string;
  messages: Array<{ text: string }>;
  /** The next `n` posts are answered 500. */
  failNext(n: number): void;
  refused: number;
  close(): Promise<void>;
}

export async function startSlackReceiver(): Promise<SlackReceiver> {
  let failures = 0;
  const receiver: SlackReceiver = {
    url: '',
    messages: [],
    refused: 0,
    failNext: (n) => (failures = n),
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
  const server: Server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString()));
    request.on('end', () => {
      if (failures > 0) {
        failures--;
        receiver.refused++;
        response.writeHead(500).end('internal_error');
        return;
      }
      receiver.messages.push(JSON.parse(body) as { text: string });
      response.writeHead(200).end('ok');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  receiver.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/services/T000/B000/xyz`;
  return receiver;
}
