import type { Gauge } from 'prom-client';
import type { ChannelName } from './message.js';

/** Where a receiving source stands: a mailbox being read, refused by its server, or read by another process. */
export type SourceState = 'starting' | 'up' | 'down' | 'standby';

export interface SourceStatus {
  channel: ChannelName;
  /** The source within the channel, without secrets (a mailbox's user@host:port/path). */
  source: string;
  state: SourceState;
  since: string;
  /** Why it is down, in the words an operator acts on. */
  problem?: string;
}

/**
 * What each receiving source of this process reports about itself: shown on /readyz and as
 * the `loket_channel_up` metric (1 up, 0 down; a standby source is not counted by this process).
 */
export class ChannelStatus {
  private readonly sources = new Map<string, SourceStatus>();

  constructor(private readonly gauge?: Gauge<'channel' | 'source'>) {}

  /** Records a source's state; true when it changed (the moment to log it). */
  report(channel: ChannelName, source: string, state: SourceState, problem?: string): boolean {
    const key = `${channel}:${source}`;
    const before = this.sources.get(key);
    const changed = before?.state !== state || before.problem !== problem;
    if (changed) this.sources.set(key, { channel, source, state, since: new Date().toISOString(), ...(problem ? { problem } : {}) });
    if (state === 'standby' || state === 'starting') this.gauge?.remove({ channel, source });
    else this.gauge?.set({ channel, source }, state === 'up' ? 1 : 0);
    return changed;
  }

  /**
   * Per channel, the worst state of its sources and since when: for the public /readyz,
   * so without mailbox names, hosts or server answers (those go to the log and metrics).
   */
  summary(): Partial<Record<ChannelName, { state: SourceState; since: string }>> {
    const rank: Record<SourceState, number> = { down: 3, starting: 2, up: 1, standby: 0 };
    const summary: Partial<Record<ChannelName, { state: SourceState; since: string }>> = {};
    for (const status of this.sources.values()) {
      const shown = summary[status.channel];
      if (!shown || rank[status.state] > rank[shown.state]) summary[status.channel] = { state: status.state, since: status.since };
    }
    return summary;
  }
}
