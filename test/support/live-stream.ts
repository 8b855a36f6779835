import { get, type IncomingMessage } from 'node:http';

export interface LiveEvent {
  event: string;
  data: unknown;
}

export interface LiveStream {
  status: number;
  contentType: string | null;
  events: LiveEvent[];
  close(): void;
}

/**
 * Opens GET /werkplek/live at `baseUrl` and collects its events (`event:`/`data:` frames) as
 * they come. A connection of its own (node:http, no pool), closed by close().
 */
export async function listen(baseUrl: string, headers: Record<string, string> = {}): Promise<LiveStream> {
  const response = await new Promise<IncomingMessage>((resolve, reject) =>
    get(`${baseUrl}/werkplek/live`, { headers: { accept: 'text/event-stream', ...headers }, agent: false }, resolve).on('error', reject),
  );
  const stream: LiveStream = {
    status: response.statusCode ?? 0,
    contentType: response.headers['content-type'] ?? null,
    events: [],
    close: () => response.destroy(),
  };
  let buffer = '';
  response.setEncoding('utf8');
  response.on('error', () => undefined); // destroyed by close()
  response.on('data', (chunk: string) => {
    buffer += chunk;
    let end: number;
    while ((end = buffer.indexOf('\n\n')) >= 0) {
      const frame = buffer.slice(0, end).split('\n');
      buffer = buffer.slice(end + 2);
      const event = frame.find((line) => line.startsWith('event: '))?.slice(7);
      const data = frame.find((line) => line.startsWith('data: '))?.slice(6);
      if (event && data !== undefined) stream.events.push({ event, data: JSON.parse(data) });
    }
  });
  return stream;
}
