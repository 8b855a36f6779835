import { DEFAULT_OFFICE_HOURS, type OfficeHours } from '../office-hours.js';
import { DEFAULT_SLA } from '../policy/sla.setting.js';
import { html, type SafeHtml } from '../ui/html.js';
import { minutesPerWorkingDay, workingMinutesBetween } from './working-time.js';

/** An amount of working time in words: "2 werkdagen", "3 uur", "20 minuten". */
function amount(minutes: number, hours: OfficeHours): string {
  const day = minutesPerWorkingDay(hours);
  if (minutes >= day) {
    const days = Math.floor(minutes / day);
    return days === 1 ? '1 werkdag' : `${days} werkdagen`;
  }
  if (minutes >= 60) return `${Math.floor(minutes / 60)} uur`;
  return minutes === 1 ? '1 minuut' : `${Math.max(0, minutes)} minuten`;
}

/** How long until `due` in working time, in words ("binnen 3 uur"), or how long past it. */
export function timeLeftText(now: Date, due: Date, hours: OfficeHours): { nl: string; overdue: boolean } {
  if (due.getTime() <= now.getTime()) return { nl: `${amount(workingMinutesBetween(due, now, hours), hours)} te laat`, overdue: true };
  return { nl: `binnen ${amount(workingMinutesBetween(now, due, hours), hours)}`, overdue: false };
}

/** Where a case stands against its promise. */
export type SlaState = 'none' | 'paused' | 'on-time' | 'warning' | 'breached' | 'met' | 'missed';

export interface SlaFacts {
  status: 'open' | 'closed';
  answerDue: Date | null;
  waitingSince: Date | null;
  closedAt: Date | null;
}

/** A case's state against its answer deadline, and the words for its badge. */
export function slaState(facts: SlaFacts, now: Date, hours: OfficeHours, warnHours: number): { state: SlaState; text: string } {
  const due = facts.answerDue;
  if (!due) return { state: 'none', text: '' };
  if (facts.status === 'closed') {
    const met = facts.closedAt !== null && facts.closedAt.getTime() <= due.getTime();
    return met ? { state: 'met', text: 'Op tijd afgehandeld' } : { state: 'missed', text: 'Te laat afgehandeld' };
  }
  if (facts.waitingSince) return { state: 'paused', text: 'Klok staat stil: wacht op de burger' };
  const left = timeLeftText(now, due, hours);
  if (left.overdue) return { state: 'breached', text: `Termijn verstreken: ${left.nl}` };
  const warning = workingMinutesBetween(now, due, hours) <= warnHours * 60;
  return { state: warning ? 'warning' : 'on-time', text: `Antwoord ${left.nl}` };
}

/** The badge: words first (never colour alone), its state for the stylesheet. */
export function slaBadge(state: { state: SlaState; text: string }): SafeHtml | '' {
  if (state.state === 'none') return '';
  return html`<span class="sla sla-${state.state}" data-sla="${state.state}">${state.text}</span>`;
}

/** What a page needs to show SLA badges: the office hours and how early a warning comes. */
export interface SlaView {
  hours: OfficeHours;
  warnHours: number;
}

export const defaultSlaView = async (): Promise<SlaView> => ({ hours: DEFAULT_OFFICE_HOURS, warnHours: DEFAULT_SLA.warnHours });
