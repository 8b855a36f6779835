import path from 'node:path';
import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import type { Worker } from 'bullmq';
import type { Channel } from './channel.js';
import { ChatBus } from '../channels/chat/chat.bus.js';
import { ChatChannel } from '../channels/chat/chat.channel.js';
import { EmailChannel } from '../channels/email/email.channel.js';
import { MailboxStore } from '../channels/email/mailbox.store.js';
import { createMailTransport } from '../channels/email/mail.transport.js';
import { PhoneChannel } from '../channels/phone/phone.channel.js';
import { PostChannel } from '../channels/post/post.channel.js';
import { WebformChannel } from '../channels/webform/webform.channel.js';
import { Queues } from '../queues/jobs.js';
import { deliverOutboxRow, sendClaimed, startDeliverWorker } from '../queues/deliver.worker.js';
import { startRouteWorker } from '../queues/route.worker.js';
import { ConfigError, loadConfig, type Config } from './config.js';
import { openDatabase, type Database } from './db/database.js';
import { createApp } from './http/app.js';
import { registerAccess, type RouteAccess } from './http/access.js';
import { registerLoginRoutes } from './http/login.routes.js';
import { offerSetup, registerSetupRoutes } from './auth/setup.js';
import { portalVerifier } from './auth/portal-identity.js';
import { registerMyQuestions } from './http/my-questions.routes.js';
import { LoginThrottle } from './auth/login-throttle.js';
import { registerOpsRoutes } from './http/ops.routes.js';
import { registerAssetRoutes } from './http/assets.routes.js';
import { registerStatusPage } from './http/status.page.js';
import { Intake } from './intake.js';
import { createLogger, throttledErrorLogger, type Logger } from './logger.js';
import { Metrics } from './metrics.js';
import { ChannelStatus } from './channel-status.js';
import { installationId } from './installation.js';
import { GroupCommit } from './group-commit.js';
import { isOpen } from './office-hours.js';
import { SentMarker } from './outbox.js';
import { MessageReader } from './routing/read.js';
import { CaseOpener } from './routing/case.opening.js';
import { registerAdminPages } from './admin/admin.routes.js';
import { OfficeHoursSource, toOfficeHours } from './policy/office-hours.setting.js';
import { loadRuleSet } from './policy/routing.decision.js';
import { SettingsCache } from './settings.store.js';
import { sweep, Sweeper } from './sweep.js';
import { analyzeGrownTables } from './db/statistics.js';
import { TopicCache } from './topic.store.js';
import { registerWorkspaceHome } from './workspace/home.page.js';
import { registerQueuesBoard } from './workspace/queues.board.js';
import { registerCaseList } from './workspace/case-list.page.js';
import { registerWorkloadPage } from './workspace/workload.page.js';
import { registerHrDeskRoutes } from './workspace/hr-desk.routes.js';
import { registerBulkRoutes } from './workspace/bulk.routes.js';
import { registerCaseRoutes } from './workspace/case.routes.js';
import { CaseChangeFeed, caseChangesChannel } from './workspace/case-changes.js';
import { registerWorkspaceLive } from './workspace/live.routes.js';
import { PresenceBoard, presenceChannel, registerPresenceRoutes } from './workspace/presence.js';
import { notificationChannel, Notifier, registerNotificationRoutes } from './workspace/notifications.js';
import { registerLanguageRoute } from './workspace/language.js';
import { parseRoleMap } from './auth/oidc.js';
import { registerAccessLog } from './privacy/access-log.js';
import { registerAccessLogPages } from './privacy/access-log.page.js';
import { registerPersonExport } from './privacy/person-export.routes.js';
import { registerErasure } from './privacy/erasure.routes.js';
import { registerRetentionDryRun, retentionRound } from './privacy/retention.js';
import { guessTopic, TopicClassifier } from './classifier/topic-classifier.js';
import { sweepSla } from './sla/sla.sweep.js';
import { registerSlaFigures } from './sla/sla.figures.js';
import { refreshReports } from './reports/report.refresh.js';
import { registerReportRoutes } from './reports/report.routes.js';
import { registerComplaintReport } from './reports/complaint-report.routes.js';
import { registerComplaintList } from './complaints/complaint.routes.js';
import { baseSet } from './classifier/training-set.js';
import type { TopicGuesser } from './policy/routing.decision.js';

export interface Loket {
  config: Config;
  chat: ChatBus;
  /** Every HTTP route with who may call it. */
  routes: RouteAccess[];
  url: string;
  database: Database;
  intake: Intake;
  queues: Queues;
  /** Drains and closes everything: HTTP first, then workers, then connections. */
  close(): Promise<void>;
}

/** The address part of MAIL_FROM's domain, for Loket's own Message-IDs. */
export function mailDomainOf(from: string): string {
  return /@([^>\s]+)>?\s*$/.exec(from)?.[1]?.toLowerCase() ?? 'loket.localhost';
}

/** How often a worker looks for hot tables that outgrew their statistics (src/db/statistics.ts). */
const STATISTICS_CHECK_MS = 5_000;
/** The built chat widget, from source (src/) or from the build (dist/src/). */
const WIDGET_FILE = fileURLToPath(new URL('../dist/widget/widget.js', import.meta.url)).replace(/dist[\\/]dist[\\/]/, 'dist/');

export interface StartOptions {
  log?: Logger;
  /** The time office hours are judged by; tests fix it. */
  clock?: () => Date;
}

/** The composition root: wires storage, queues, channels and HTTP for one role. */
/**
 * The largest body of a route without files: login, JSON APIs, forms. Room for the longest
 * text field (20,000 characters: an answer, a note, a call's summary) in the worst encoding a
 * browser sends, each character as up to 4 UTF-8 bytes percent-encoded (12 bytes), and the
 * other fields beside it; past this a 413 would lose what was written.
 */
const SMALL_BODY_LIMIT = 20_000 * 12 + 16 * 1024;

export async function startLoket(config: Config, { log = createLogger(config.LOG_LEVEL), clock = () => new Date() }: StartOptions = {}): Promise<Loket> {
  const receives = config.ROLE !== 'worker';
  const works = config.ROLE !== 'web';
  const database = await openDatabase({
    databaseUrl: config.DATABASE_URL,
    dataDir: config.DATA_DIR,
    poolSize: config.DATABASE_POOL_SIZE,
    onIdleError: throttledErrorLogger(log, 'idle database connection lost'),
  });
  const { db } = database;
  const redisError = throttledErrorLogger(log, 'redis connection error');
  const redis = new Redis(config.REDIS_URL, { maxRetriesPerRequest: null }).on('error', redisError);
  const rateLimitRedis = receives
    ? // Fails at once while Redis is away (no offline queue): rate limits fail open, logins count
      // in memory, telephony answers 503; nobody waits for a reconnect.
      new Redis(config.REDIS_URL, { maxRetriesPerRequest: 1, connectTimeout: 1_000, enableOfflineQueue: false, commandTimeout: 1_000 }).on('error', redisError)
    : undefined;
  const queues = new Queues({
    connection: redis,
    prefix: config.QUEUE_PREFIX,
    jobIdScope: await installationId(db),
    attempts: config.JOB_ATTEMPTS,
    onError: redisError,
    onStaleJob: (queue, jobId, state) => log.warn({ queue, jobId, state }, 'a finished job held back unfinished work; replaced'),
    failedRetryAfterMs: config.SWEEP_FAILED_RETRY_MINUTES * 60_000,
  });
  const metrics = new Metrics(async () => Object.fromEntries(await Promise.all(queues.all().map(async (q) => [q.name, await q.getJobCounts()] as const))));
  const topics = new TopicCache(db);
  const adminSettings = new SettingsCache(db);
  // The learned topic classifier: trained here from the base set and the agents' corrections.
  const classifier = new TopicClassifier({
    db,
    log,
    refreshMs: config.CLASSIFIER_REFRESH_SECONDS * 1_000,
    base: () => baseSet(config.CLASSIFIER_TRAINING_DIR),
  });
  await classifier.start();
  /** What the workspace's SLA badges need: the office hours and how early a warning comes. */
  const slaView = async () => ({
    hours: toOfficeHours(await adminSettings.get('office.hours')),
    warnHours: (await adminSettings.get('sla.targets')).warnHours,
  });
  /** The classifier as one job or dry run uses it: the model and the admin's threshold as they stand. */
  const topicGuesser = async (): Promise<TopicGuesser> => {
    const [known, { threshold }] = await Promise.all([topics.get(), adminSettings.get('classify.confidence')]);
    const model = classifier.current();
    return (message) => guessTopic(model, message, known, threshold);
  };
  // Read for the chat's synchronous online flag in the background: two one-second steps keep it within 2 s.
  const officeHoursSettings = new SettingsCache(db, 1_000);
  const officeHours = new OfficeHoursSource(() => officeHoursSettings.get('office.hours'), throttledErrorLogger(log, 'office hours not read'));
  await officeHours.refresh();
  // A connection of its own that pipelines: the events of one moment (a redirect is four:
  // the line, state, closed, and the agents' closed) go to Redis in one write.
  const chatPublisher = redis.duplicate({ enableAutoPipelining: true }).on('error', redisError);
  const chatBus = new ChatBus(chatPublisher, `${config.QUEUE_PREFIX}:socket.io`, db, log);
  // Live updates of the workspace: published by web and worker processes, heard by every web node.
  const caseChanges = new CaseChangeFeed({ redis, channel: caseChangesChannel(config.QUEUE_PREFIX), db, log });
  // Web processes publish on the fail-fast connection: a request never waits for Redis to come back.
  const notifier = new Notifier({ db, redis: rateLimitRedis ?? redis, prefix: config.QUEUE_PREFIX, log });
  const contact = { formUrl: `${config.PUBLIC_URL}/contact`, email: config.CONTACT_EMAIL, phone: config.CONTACT_PHONE };
  const mail = createMailTransport({ smtpUrl: config.SMTP_URL, dataDir: config.DATA_DIR });
  const mailDomain = mailDomainOf(config.MAIL_FROM);
  const maxFileBytes = Math.floor(config.WEBFORM_MAX_FILE_MB * 1024 * 1024);

  const app = await createApp({
    log,
    trustProxy: config.TRUST_PROXY,
    bodyLimit: SMALL_BODY_LIMIT,
    maxFiles: config.WEBFORM_MAX_FILES,
    maxFileBytes,
    rateLimitRedis,
    namespace: config.QUEUE_PREFIX,
    databasePing: database.ping,
    https: config.PUBLIC_URL?.startsWith('https:') === true,
  });
  // Before any route: every route registered after this gets its access checked.
  const session = { hours: config.SESSION_HOURS, idleMinutes: config.SESSION_IDLE_MINUTES };
  const routes = registerAccess(app, { db, metricsToken: config.METRICS_TOKEN, session });
  // Every view and change of a person's data, in the append-only access log (src/privacy).
  registerAccessLog(app, { db, log });
  registerAssetRoutes(app);
  const channelStatus = new ChannelStatus(metrics.channelUp);
  registerOpsRoutes(app, {
    metrics,
    checks: {
      database: database.ping,
      // Not connected is an answer at once, not a ping waiting for the reconnect.
      redis: async () => {
        if (redis.status !== 'ready') throw new Error(`redis ${redis.status}`);
        await redis.ping();
      },
    },
    channels: () => channelStatus.summary(),
  });

  // The employees' portal's ID tokens, on the form and the chat when they run inside it (src/auth/portal-identity.ts).
  const verifyIdentity =
    config.PORTAL_ISSUER && config.PORTAL_AUDIENCE
      ? portalVerifier({
          issuer: config.PORTAL_ISSUER,
          audience: config.PORTAL_AUDIENCE,
          jwksUrl: config.PORTAL_JWKS_URL,
          employeeClaim: config.PORTAL_EMPLOYEE_CLAIM,
        })
      : undefined;
  const webform = new WebformChannel({
    app: receives ? app : undefined,
    verifyIdentity,
    topics,
    limits: {
      maxFiles: config.WEBFORM_MAX_FILES,
      maxFileBytes,
      allowedTypes: config.WEBFORM_ALLOWED_TYPES,
      // JSON carries the files base64-encoded (4/3 and some), beside the fields.
      jsonBodyLimit: Math.ceil(config.WEBFORM_MAX_FILES * maxFileBytes * 1.37) + SMALL_BODY_LIMIT,
    },
    rateLimit: { max: config.WEBFORM_RATE_LIMIT_MAX, windowSeconds: config.WEBFORM_RATE_LIMIT_WINDOW_SECONDS },
    publicUrl: config.PUBLIC_URL,
    mail,
    mailFrom: config.MAIL_FROM,
    mailDomain,
  });
  // The IMAP reader (imapflow, mailparser, sanitize-html) is loaded only where it runs.
  const imapUrl = receives ? config.IMAP_URL : undefined;
  const inbound = imapUrl
    ? new (await import('../channels/email/imap.inbound.js')).ImapInbound({
        url: imapUrl,
        after: config.IMAP_AFTER,
        pollSeconds: config.IMAP_POLL_SECONDS,
        maxBytes: config.MAIL_MAX_BYTES,
        messageTimeoutMs: config.IMAP_MESSAGE_TIMEOUT_SECONDS * 1_000,
        refusedRetryCapMs: config.IMAP_RETRY_MAX_SECONDS * 1_000,
        status: channelStatus,
        store: new MailboxStore(db),
        redis,
        lockPrefix: config.QUEUE_PREFIX,
        log,
      })
    : undefined;
  const email = new EmailChannel({
    app: receives ? app : undefined,
    db,
    inbound,
    mail,
    mailFrom: config.MAIL_FROM,
    mailDomain,
    log,
  });
  const chat = new ChatChannel({
    app: receives ? app : undefined,
    bus: chatBus,
    widgetFile: WIDGET_FILE,
    consoleFile: WIDGET_FILE.replace(/widget\.js$/, 'console.js'),
    server: {
      db,
      queues,
      redis,
      topics,
      verifyIdentity,
      chatTopics: () => adminSettings.get('chat.topics'),
      contact,
      isOpen: () => isOpen(clock(), officeHours.current()),
      maxLength: config.CHAT_MAX_LENGTH,
      ratePer10Seconds: config.CHAT_RATE_LIMIT,
      conversationsPerHour: config.CHAT_CONVERSATIONS_PER_HOUR,
      limitRedis: rateLimitRedis,
      trustProxy: config.TRUST_PROXY,
      keyPrefix: config.QUEUE_PREFIX,
      queueReady: () => redis.status === 'ready',
      allowedOrigins: config.CHAT_ALLOWED_ORIGINS,
      agentToken: config.CHAT_AGENT_TOKEN,
      maxChatsPerAgent: async () => (await adminSettings.get('chat.console')).maxPerAgent,
      log,
    },
    idleMinutes: config.CHAT_IDLE_MINUTES,
  });
  const post = new PostChannel({
    app: receives ? app : undefined,
    db,
    queues,
    limits: { maxFiles: config.LETTER_MAX_SCANS, maxFileBytes: Math.floor(config.LETTER_MAX_SCAN_MB * 1024 * 1024) },
    letterhead: { organisation: config.LETTER_ORGANISATION, returnAddress: config.LETTER_RETURN_ADDRESS },
    ocr: { timeoutMs: config.OCR_TIMEOUT_SECONDS * 1_000, concurrency: config.OCR_CONCURRENCY },
    log,
  });
  const phone = new PhoneChannel({
    app: receives ? app : undefined,
    db,
    topics,
    // The fail-fast connection: a telephony request should get 503 quickly, not wait for Redis.
    redis: rateLimitRedis,
    namespace: config.QUEUE_PREFIX,
    telephonySecret: config.TELEPHONY_SECRET,
    log,
  });
  const channels = new Map<string, Channel>([webform, email, chat, phone, post].map((channel) => [channel.name, channel]));
  const channelNamed = (name: string) => channels.get(name);
  // Route jobs added while an earlier add is on its way to Redis go together, in one bulk add.
  const routeAdds = new GroupCommit<number[], void>(async (batches) => {
    await queues.addMany(
      'route',
      batches.flat().map((messageId) => ({ messageId })),
    );
    return batches.map(() => undefined);
  });
  const intake = new Intake(
    db,
    { scheduleRoute: (messageIds) => routeAdds.run(messageIds) },
    {
      referencePrefix: config.REF_PREFIX,
      log,
      onAccepted: (channel) => metrics.messagesIn.inc({ channel }),
      schedulerReady: () => redis.status === 'ready',
    },
  );

  if (receives) {
    registerStatusPage(app, db);
    registerSetupRoutes(app, { db, attemptsPerMinute: config.LOGIN_RATE_LIMIT });
    registerMyQuestions(app, {
      db,
      verify: verifyIdentity,
      publicUrl: config.PUBLIC_URL,
      rateLimit: { max: config.WEBFORM_RATE_LIMIT_MAX, windowSeconds: config.WEBFORM_RATE_LIMIT_WINDOW_SECONDS },
    });
    registerLoginRoutes(app, {
      db,
      oidc:
        config.OIDC_ISSUER && config.OIDC_CLIENT_ID && config.OIDC_CLIENT_SECRET
          ? {
              issuer: config.OIDC_ISSUER,
              clientId: config.OIDC_CLIENT_ID,
              clientSecret: config.OIDC_CLIENT_SECRET,
              publicUrl: config.PUBLIC_URL,
              rolesClaim: config.OIDC_ROLES_CLAIM,
              roleMap: parseRoleMap(config.OIDC_ROLE_MAP),
              allowHttp: config.IDENTITY_ALLOW_HTTP,
              log,
            }
          : undefined,
      secureCookies: config.PUBLIC_URL.startsWith('https://'),
      session,
      attemptsPerMinute: config.LOGIN_RATE_LIMIT,
      throttle: new LoginThrottle({
        redis: rateLimitRedis,
        namespace: config.QUEUE_PREFIX,
        policy: {
          freeFailures: config.LOGIN_FREE_FAILURES,
          maxDelaySeconds: config.LOGIN_DELAY_MAX_SECONDS,
          ipFailures: config.LOGIN_IP_FAILURES,
          ipWindowSeconds: config.LOGIN_IP_WINDOW_MINUTES * 60,
        },
      }),
    });
    registerWorkspaceHome(app, { db, clock });
    await registerQueuesBoard(app, queues);
    registerAdminPages(app, { db, intake, settings: adminSettings, topics, classifier, guess: topicGuesser });
    registerCaseList(app, { db, topics, clock, referencePrefix: config.REF_PREFIX, sla: slaView });
    registerWorkloadPage(app, { db, clock });
    registerSlaFigures(app, { db, topics, sla: () => adminSettings.get('sla.targets'), clock });
    registerReportRoutes(app, { db, topics, sla: () => adminSettings.get('sla.targets'), clock, log });
    registerComplaintReport(app, { db, topics, clock });
    registerComplaintList(app, { db, clock });
    registerCaseRoutes(app, {
      db,
      sla: slaView,
      slaTargets: () => adminSettings.get('sla.targets'),
      clock,
      publicUrl: config.PUBLIC_URL,
      complaintDeadlines: () => adminSettings.get('complaint.deadlines'),
      topics,
      queues,
      mailDomain,
      channels: channelNamed,
      templates: () => adminSettings.get('reply.templates'),
      changes: caseChanges,
      notifier,
      uploads: { maxFiles: config.WEBFORM_MAX_FILES, maxFileBytes, allowedTypes: config.WEBFORM_ALLOWED_TYPES },
      log,
    });
    registerHrDeskRoutes(app, { db, channels: channelNamed, changes: caseChanges });
    registerBulkRoutes(app, { db, changes: caseChanges, notifier });
    registerWorkspaceLive(app, {
      redis,
      channel: caseChangesChannel(config.QUEUE_PREFIX),
      presenceChannel: presenceChannel(config.QUEUE_PREFIX),
      notificationChannel: notificationChannel(config.QUEUE_PREFIX),
      log,
      onRedisError: redisError,
    });
    // The fail-fast connection: with Redis away a beat is refused at once, not held until it returns.
    registerNotificationRoutes(app, { db });
    registerLanguageRoute(app, { db });
    registerAccessLogPages(app, { db, clock });
    registerPersonExport(app, { db, clock });
    registerErasure(app, { db, clock, emlDir: path.resolve(config.DATA_DIR, 'outbox') });
    registerRetentionDryRun(app, { db, periods: () => adminSettings.get('retention.periods'), clock });
    registerPresenceRoutes(app, { db, board: new PresenceBoard({ redis: rateLimitRedis ?? redis, prefix: config.QUEUE_PREFIX, log }) });
    for (const channel of channels.values()) await channel.start(intake);
  }

  const workers: Worker[] = [];
  let sweeper: Sweeper | undefined;
  let statistics: Sweeper | undefined;
  let slaClock: Sweeper | undefined;
  let retention: Sweeper | undefined;
  let reports: Sweeper | undefined;
  if (works) {
    const settings = { connection: redis, prefix: config.QUEUE_PREFIX, lockSeconds: config.JOB_LOCK_SECONDS };
    const deliverDeps = {
      db,
      channels,
      leaseSeconds: config.OUTBOX_LEASE_SECONDS,
      sent: new SentMarker(db),
      keepTryingMs: async () => (await adminSettings.get('delivery.retry')).keepTryingHours * 3_600_000,
      metrics,
      log,
    };
    workers.push(
      startRouteWorker(
        {
          db,
          queues,
          topics,
          settings: { referencePrefix: config.REF_PREFIX, mailDomain, autoReplyLimit: config.AUTO_REPLY_LIMIT },
          rules: () => loadRuleSet(adminSettings),
          guess: topicGuesser,
          sla: () => adminSettings.get('sla.targets'),
          parts: { reader: new MessageReader(db), opener: new CaseOpener(db) },
          conversationPolicy: () => chat.conversationPolicy(),
          afterRoute: async (routed) => {
            await notifier.replied(routed.messageId);
            return (await channels.get(routed.channel)?.afterRoute?.(routed)) ?? [];
          },
          deliverNow: (row) =>
            typeof row === 'number'
              ? deliverOutboxRow(deliverDeps, row, { lastAttempt: false, log })
              : sendClaimed(deliverDeps, row, { lastAttempt: false, log }),
          metrics,
          log,
        },
        { ...settings, concurrency: config.ROUTE_CONCURRENCY },
      ),
      startDeliverWorker(deliverDeps, { ...settings, concurrency: config.DELIVER_CONCURRENCY }),
      ...[...channels.values()].flatMap((channel) => channel.workers?.(settings) ?? []),
    );
    for (const worker of workers) caseChanges.follow(worker);
    const sweepSettings = { olderThanSeconds: config.SWEEP_SECONDS, leaseSeconds: config.OUTBOX_LEASE_SECONDS, batch: 1_000 };
    const sweepTargets = {
      scheduleRoute: (messageId: number) => queues.reschedule('route', { messageId }),
      scheduleDelivery: (outboxId: number) => queues.reschedule('deliver', { outboxId }),
    };
    sweeper = new Sweeper(
      async () => {
        let found: Record<string, number> = await sweep(db, sweepTargets, sweepSettings);
        for (const channel of channels.values()) found = { ...found, ...(await channel.sweep?.(config.SWEEP_SECONDS)) };
        return found;
      },
      config.SWEEP_SECONDS * 1_000,
      log,
    );
    sweeper.start();
    if (database.kind === 'postgres') {
      statistics = new Sweeper(async () => (await analyzeGrownTables(db, log), {}), STATISTICS_CHECK_MS, log, 'statistics');
      statistics.start();
    }
    // The SLA clock: pauses measured, warnings and breaches told once (src/sla).
    slaClock = new Sweeper(
      () =>
        sweepSla({
          db,
          notifier,
          mail,
          mailFrom: config.MAIL_FROM,
          mailDomain,
          hours: async () => toOfficeHours(await adminSettings.get('office.hours')),
          sla: () => adminSettings.get('sla.targets'),
          complaintDeadlines: () => adminSettings.get('complaint.deadlines'),
          letters: {
            db,
            channels: channelNamed,
            mailDomain,
            deliver: (outboxId) =>
              queues
                .add('deliver', { outboxId })
                .then(() => undefined)
                .catch((err: unknown) => log.warn({ err, outboxId }, 'complaint letter not enqueued; the sweep sends it')),
          },
          changed: (caseId, reference) => caseChanges.caseChanged(caseId, reference),
          clock,
          log,
        }),
      config.SLA_SWEEP_SECONDS * 1_000,
      log,
      'sla',
    );
    slaClock.start();
    // Retention: closed cases past their period lose their personal data, in batches (src/privacy).
    retention = new Sweeper(
      () => retentionRound({ db, periods: () => adminSettings.get('retention.periods'), emlDir: path.resolve(config.DATA_DIR, 'outbox'), clock, log }),
      config.RETENTION_SWEEP_SECONDS * 1_000,
      log,
      'retention',
    );
    retention.start();
    // The report figures counted again, concurrently: reports read the last count meanwhile (src/reports).
    reports = new Sweeper(async () => (await refreshReports(db, log), {}), config.REPORTS_REFRESH_SECONDS * 1_000, log, 'reports');
    reports.start();
  }

  await app.listen({ host: config.HTTP_HOST, port: config.HTTP_PORT });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : config.HTTP_PORT;
  log.info({ role: config.ROLE, port, database: database.kind }, 'loket started');
  // First run: no admin yet, so a one-time link to make one in the browser (src/auth/setup.ts).
  if (receives) await offerSetup(db, config.PUBLIC_URL, log);

  let closing: Promise<void> | undefined;
  const close = () =>
    (closing ??= (async () => {
      await app.close();
      classifier.stop();
      for (const channel of channels.values()) await channel.stop();
      await Promise.all(workers.map((worker) => worker.close()));
      await sweeper?.stop();
      await statistics?.stop();
      await slaClock?.stop();
      await retention?.stop();
      await reports?.stop();
      await queues.close();
      await mail.close();
      await caseChanges.close();
      redis.disconnect();
      chatPublisher.disconnect();
      rateLimitRedis?.disconnect();
      await database.close();
      log.info('loket stopped');
    })());

  return { config, chat: chatBus, routes, url: `http://127.0.0.1:${port}`, database, intake, queues, close };
}

async function main(): Promise<void> {
  let config: Config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n`);
      process.exit(1);
    }
    throw err;
  }
  const log = createLogger(config.LOG_LEVEL);
  const loket = await startLoket(config, { log });
  const stop = (signal: string) => {
    log.info({ signal }, 'shutting down');
    const force = setTimeout(() => {
      log.error('shutdown took too long; exiting');
      process.exit(1);
    }, config.SHUTDOWN_TIMEOUT_SECONDS * 1_000);
    force.unref();
    loket.close().then(
      () => process.exit(0),
      (err: unknown) => {
        log.error({ err }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', () => stop('SIGTERM'));
  process.once('SIGINT', () => stop('SIGINT'));
}

const invokedDirectly = process.argv[1] !== undefined && realpathSync(process.argv[1]) === fileURLToPath(import.meta.url);
if (invokedDirectly) {
  main().catch((err: unknown) => {
    process.stderr.write(`loket failed to start: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exit(1);
  });
}
