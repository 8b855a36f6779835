import { monitorEventLoopDelay } from 'node:perf_hooks';
import { io, type Socket } from 'socket.io-client';
import { CHAT_NAMESPACE, type ChatLine, type ClosedEvent, type ErrorAck, type StartAck } from '../channels/chat/chat.protocol.js';
import { clock, sleep } from './clock.js';

export interface VisitorLoadSettings {
  url: string;
  visitors: number;
  /** Each visitor starts one conversation and sends one message every interval. */
  intervalMs: number;
  /** At full load, not measured: JIT, pools and caches settle. */
  warmupSeconds: number;
  seconds: number;
  /** An acknowledgement or an answer later than this is an error. */
  timeoutMs: number;
}

/** One conversation: chat:start, then chat:message, then the automatic answer. */
export interface Conversation {
  conversationId: string;
  clientId: string;
  /** Epoch ms (clock.ts) when the visitor wanted to start it. */
  scheduledAt: number;
  startedAt: number;
  startAckedAt: number;
  /** chat:message emitted: the latency's start. */
  emittedAt: number;
  ackedAt?: number;
  /** The system line arrived: the latency's end. */
  answeredAt?: number;
  closed: boolean;
  /** Scheduled after the warm-up. */
  measured: boolean;
}

export interface VisitorLoadResult {
  /** Every conversation that got as far as chat:message, warm-up included. */
  conversations: Conversation[];
  errors: Map<string, { count: number; first: string }>;
  /** Cycles not started because the visitor's previous one ran past their time (warm-up included). */
  skippedCycles: number;
  /** System lines that arrived after their conversation had timed out (counted as errors then). */
  lateAnswers: number;
  /** The client process over the measured window (warm-up start to drained). */
  clientCpuMs: number;
  clientLoopDelay: { p50: number; p99: number; max: number };
  /** Epoch ms of the measured window's start (first measured schedule) and end (drained). */
  measuredFrom: number;
  measuredTo: number;
}

/** Dutch questions on topics outside the chat list, so each conversation gets a redirect. */
const QUESTIONS = [
  { topic: 'salaris', text: 'Mijn salaris van deze maand is nog niet op mijn rekening gestort, klopt dat?' },
  { topic: 'verlof', text: 'Hoeveel verlofuren heb ik nog over dit jaar en vervallen ze op 1 juli?' },
  { topic: 'declaraties', text: 'Mijn declaratie voor reiskosten van de dienstreis naar Utrecht is afgewezen.' },
  { topic: 'other', text: 'Op mijn salarisstrook van oktober staat een verkeerd bedrag voor de toeslag.' },
  { topic: 'other', text: 'Kan ik mijn ouderschapsverlof opnemen in halve dagen per week?' },
] as const;

interface Visitor {
  index: number;
  socket: Socket;
  current?: Conversation;
  /** System lines that came when nobody waited: answers after their timeout. */
  lateLines: number;
  answer?: { resolve: (at: number) => void; reject: (err: Error) => void; timer: NodeJS.Timeout };
}

class BenchError extends Error {
  override name = 'BenchError';
  constructor(
    readonly kind: string,
    detail: string,
  ) {
    super(detail);
  }
}

/**
 * Drives `visitors` socket.io clients against a chat server (Loket or the echo): each
 * visitor's cycles are due every interval, first ones spread over the first interval,
 * one cycle at a time per visitor (a new chat:start would leave the old conversation's
 * room). Latency is chat:message emitted → the `system` line on that socket.
 * `onMeasuring` is called when the warm-up ends.
 */
export async function runVisitors(settings: VisitorLoadSettings, onMeasuring: () => void = () => undefined): Promise<VisitorLoadResult> {
  const errors = new Map<string, { count: number; first: string }>();
  const fail = (kind: string, detail: string) => {
    const seen = errors.get(kind);
    if (seen) seen.count += 1;
    else errors.set(kind, { count: 1, first: detail });
  };
  const conversations: Conversation[] = [];
  let stopping = false;
  let skipped = 0;

  const visitors = await connectAll(settings, fail, () => stopping);
  for (const visitor of visitors) listen(visitor, fail);

  const loop = monitorEventLoopDelay({ resolution: 5 });
  const t0 = clock() + 100;
  const measuredFrom = t0 + settings.warmupSeconds * 1_000;
  const end = measuredFrom + settings.seconds * 1_000;
  let cpuAtStart: NodeJS.CpuUsage | undefined;
  const startMeasuring = setTimeout(() => {
    cpuAtStart = process.cpuUsage();
    loop.enable();
    onMeasuring();
  }, measuredFrom - clock());

  await Promise.all(
    visitors.map(async (visitor) => {
      const offset = (visitor.index / settings.visitors) * settings.intervalMs;
      for (let k = 0; ;) {
        const due = t0 + offset + k * settings.intervalMs;
        if (due >= end) return;
        const wait = due - clock();
        if (wait > 0) await sleep(wait);
        await converse(visitor, k, due, due >= measuredFrom, settings, conversations).catch((err: unknown) => {
          if (err instanceof BenchError) fail(err.kind, err.message);
          else fail('unexpected', err instanceof Error ? err.message : String(err));
        });
        // A visitor still waiting for an answer does not ask again: the slots that passed
        // meanwhile are skipped (and counted), never made up for in a rush afterwards.
        const next = Math.max(k + 1, Math.ceil((clock() - t0 - offset) / settings.intervalMs));
        for (let missed = k + 1; missed < next; missed += 1) {
          if (t0 + offset + missed * settings.intervalMs < end) skipped += 1;
        }
        k = next;
      }
    }),
  );
  clearTimeout(startMeasuring);
  const measuredTo = clock();
  const cpu = process.cpuUsage(cpuAtStart);
  loop.disable();

  // chat:closed follows the answer in the same flush; give stragglers a moment.
  await sleep(500);
  for (const c of conversations) if (c.answeredAt !== undefined && !c.closed) fail('answer without chat:closed', `conversation ${c.conversationId}`);
  stopping = true;
  for (const visitor of visitors) visitor.socket.close();

  const ms = (ns: number) => ns / 1e6;
  return {
    conversations,
    errors,
    skippedCycles: skipped,
    lateAnswers: visitors.reduce((sum, v) => sum + v.lateLines, 0),
    clientCpuMs: cpuAtStart ? (cpu.user + cpu.system) / 1_000 : Number.NaN,
    clientLoopDelay: { p50: ms(loop.percentile(50)), p99: ms(loop.percentile(99)), max: ms(loop.max) },
    measuredFrom,
    measuredTo,
  };
}

/** Opens every socket, 50 handshakes at a time; a visitor that cannot connect is an error and sits the run out. */
async function connectAll(settings: VisitorLoadSettings, fail: (kind: string, detail: string) => void, stopping: () => boolean): Promise<Visitor[]> {
  const visitors: Visitor[] = [];
  for (let first = 0; first < settings.visitors; first += 50) {
    const batch = Array.from({ length: Math.min(50, settings.visitors - first) }, (_, i) => first + i);
    await Promise.all(
      batch.map(async (index) => {
        const socket = io(`${settings.url}${CHAT_NAMESPACE}`, { transports: ['websocket'], reconnection: false, forceNew: true, timeout: settings.timeoutMs });
        try {
          await new Promise<void>((resolve, reject) => {
            socket.once('connect', resolve);
            socket.once('connect_error', reject);
          });
        } catch (err) {
          socket.close();
          return fail('connect_error', err instanceof Error ? err.message : String(err));
        }
        socket.on('disconnect', (reason) => {
          if (!stopping()) fail('disconnect', `visitor ${index}: ${reason}`);
        });
        visitors.push({ index, socket, lateLines: 0 });
      }),
    );
  }
  return visitors;
}

function listen(visitor: Visitor, fail: (kind: string, detail: string) => void): void {
  visitor.socket.on('chat:message', (line: ChatLine) => {
    if (line.from !== 'system') return fail('unexpected line', `${line.from}: ${line.text.slice(0, 60)}`);
    const waiting = visitor.answer;
    // Not an error of its own: the conversation it answers already counted as one when it timed out.
    if (!waiting) return void (visitor.lateLines += 1);
    visitor.answer = undefined;
    clearTimeout(waiting.timer);
    waiting.resolve(clock());
  });
  visitor.socket.on('chat:closed', (event: ClosedEvent) => {
    if (event.reason !== 'redirected') return fail('chat:closed not redirected', `reason ${event.reason}`);
    if (visitor.current) visitor.current.closed = true;
  });
  visitor.socket.on('chat:error', (event: { event: string; error: string; message: string }) =>
    fail('chat:error', `${event.event}: ${event.error} ${event.message}`),
  );
}

/** The next `system` line on this visitor's socket, or a timeout error. */
function nextAnswer(visitor: Visitor, timeoutMs: number): { promise: Promise<number>; cancel: () => void } {
  let cancel = () => undefined as void;
  const promise = new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => {
      visitor.answer = undefined;
      reject(new BenchError('no answer in time', `visitor ${visitor.index}: no system line within ${timeoutMs} ms`));
    }, timeoutMs);
    visitor.answer = { resolve, reject, timer };
    cancel = () => {
      clearTimeout(timer);
      visitor.answer = undefined;
    };
  });
  return { promise, cancel };
}

async function call<T extends object>(socket: Socket, event: string, payload: unknown, timeoutMs: number): Promise<T | ErrorAck> {
  try {
    return (await socket.timeout(timeoutMs).emitWithAck(event, payload)) as T | ErrorAck;
  } catch (err) {
    throw new BenchError(`${event} ack timeout`, err instanceof Error ? err.message : String(err));
  }
}

async function converse(
  visitor: Visitor,
  k: number,
  scheduledAt: number,
  measured: boolean,
  settings: VisitorLoadSettings,
  out: Conversation[],
): Promise<void> {
  const question = QUESTIONS[(visitor.index + k) % QUESTIONS.length]!;
  const startedAt = clock();
  const started = await call<StartAck>(
    visitor.socket,
    'chat:start',
    { name: `Bezoeker ${visitor.index}`, topic: question.topic, locale: 'nl' },
    settings.timeoutMs,
  );
  const startAckedAt = clock();
  if (!started.ok) throw new BenchError('chat:start refused', `${started.error}: ${started.message}`);
  if (!started.online) throw new BenchError('offline', 'chat:start answered online: false (is the clock inside office hours?)');

  const conversation: Conversation = {
    conversationId: started.conversationId,
    clientId: `v${visitor.index}-${k}`,
    scheduledAt,
    startedAt,
    startAckedAt,
    emittedAt: 0,
    closed: false,
    measured,
  };
  visitor.current = conversation;
  const answer = nextAnswer(visitor, settings.timeoutMs);
  // It may time out while the ack is awaited; it is awaited (and its error counted) below.
  answer.promise.catch(() => undefined);
  conversation.emittedAt = clock();
  out.push(conversation);
  let acked: { ok: true } | ErrorAck;
  try {
    acked = await call<{ ok: true }>(visitor.socket, 'chat:message', { clientId: conversation.clientId, text: question.text }, settings.timeoutMs);
  } catch (err) {
    answer.cancel();
    throw err;
  }
  conversation.ackedAt = clock();
  if (!acked.ok) {
    answer.cancel();
    throw new BenchError('chat:message refused', `${acked.error}: ${acked.message}`);
  }
  conversation.answeredAt = await answer.promise;
}
