/**
 * The chat bench's baseline: a bare socket.io server speaking just enough of the chat
 * protocol for the same visitors to drive it. Same transport and the same Redis adapter
 * on the same Redis as Loket, so it pays the adapter's publish per emit; no database, no
 * queues, no policy. Its answer is Loket's own redirect text, so frames weigh the same.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createAdapter } from '@socket.io/redis-adapter';
import { Redis } from 'ioredis';
import { Server, type Socket } from 'socket.io';
import { CHAT_NAMESPACE } from '../channels/chat/chat.protocol.js';
import { redirectText } from '../channels/chat/chat.texts.js';
import { serveParent } from './child.side.js';
import { recordEventLoop } from './chat.loop.js';

const REDIRECT = redirectText('nl', { formUrl: 'http://localhost:3000/contact', email: 'contactcenter@loket.localhost', phone: '088 0200 800' }, [
  'inloggen',
  'personeelsgesprekken',
]);

type Ack = (answer: object) => void;

serveParent(async () => {
  const redisUrl = process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379';
  const prefix = process.env['QUEUE_PREFIX'] ?? '{loket-chat-echo}';
  const stopRecording = recordEventLoop(process.env['BENCH_CHAT_LOOP_FILE']);
  const pub = new Redis(redisUrl, { maxRetriesPerRequest: null });
  const sub = pub.duplicate();
  const httpServer = createServer();
  const io = new Server(httpServer, {
    transports: ['websocket'],
    serveClient: false,
    maxHttpBufferSize: 64 * 1024,
    adapter: createAdapter(pub, sub, { key: `${prefix}:socket.io` }),
  });
  const chat = io.of(CHAT_NAMESPACE);
  let lines = 0;
  chat.on('connection', (socket: Socket) => {
    let room: string | undefined;
    socket.on('chat:start', (_request: unknown, ack: Ack) => {
      if (room) void socket.leave(room);
      const conversationId = randomUUID();
      room = `conv:${conversationId}`;
      void socket.join(room);
      ack({ ok: true, conversationId, token: randomBytes(24).toString('base64url'), online: true });
    });
    socket.on('chat:message', (_request: unknown, ack: Ack) => {
      if (!room) return ack({ ok: false, error: 'not-started', message: 'Start eerst een gesprek.' });
      ack({ ok: true });
      // What Loket's deliver worker sends for a redirect: the line, the state, the close.
      chat.to(room).emit('chat:message', { id: `o${++lines}`, from: 'system', text: REDIRECT, at: new Date().toISOString() });
      chat.to(room).emit('chat:state', { state: 'closed' });
      chat.to(room).emit('chat:closed', { reason: 'redirected' });
    });
  });
  await new Promise<void>((resolve) => httpServer.listen(0, '127.0.0.1', resolve));
  const { port } = httpServer.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    stop: async () => {
      stopRecording();
      chat.local.disconnectSockets(true);
      await io.close();
      pub.disconnect();
      sub.disconnect();
    },
  };
});
