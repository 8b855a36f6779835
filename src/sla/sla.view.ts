import { DEFAULT_OFFICE_HOURS, type OfficeHours } from '../office-hours.js';
import { DEFAULT_SLA } from '../policy/sla.setting.js';
import { html, type SafeHtml } from '../ui/html.js';
import type { UiLocale } from '../workspace/language.js';
import { minutesPerWorkingDay, workingMinutesBetween } from './working-time.js';

/** The SLA words in Dutch and English: amounts of working time, and the badges. */
const TEXTS = {
  nl: {
    days: (n: number) => (n === 1 ? '1 werkdag' : `${n} werkdagen`),
    hours: (n: number) => `${n} uur`,
    minutes: (n: number) => (n === 1 ? '1 minuut' : `${n} minuten`),
    late: (amount: string) => `${amount} te laat`,
    within: (amount: string) => `binnen ${amount}`,
    met: 'Op tijd afgehandeld',
    missed: 'Te laat afgehandeld',
    paused: 'Klok staat stil: wacht op de burger',
    breached: (left: string) => `Termijn verstreken: ${left}`,
    answer: (left: string) => `Antwoord ${left}`,
  },
  en: {
    days: (n: number) => (n === 1 ? '1 working day' : `${n} working days`),
    hours: (n: number) => (n === 1 ? '1 hour' : `${n} hours`),
    minutes: (n: number) => (n === 1 ? '1 minute' : `${n} minutes`),
    late: (amount: string) => `${amount} overdue`,
    within: (amount: string) => `within ${amount}`,
    met: 'Handled on time',
    missed: 'Handled late',
    paused: 'Clock stopped: waiting for the citizen',
    breached: (left: string) => `Deadline passed: ${left}`,
    answer: (left: string) => `Answer ${left}`,
  },
} as const;

/** An amount of working time in words: "2 werkdagen", "3 uur", "20 minuten" ("2 working days", "3 hours", "20 minutes"). */
function amount(minutes: number, hours: OfficeHours, lang: UiLocale): string {
  const t = TEXTS[lang];
  const day = minutesPerWorkingDay(hours);
  if (minutes >= day) return t.days(Math.floor(minutes / day));
  if (minutes >= 60) return t.hours(Math.floor(minutes / 60));
  return t.minutes(Math.max(0, minutes));
}

/** How long until `due` in working time, in words ("binnen 3 uur", "within 3 hours"), or how long past it. */
export function timeLeftText(now: Date, due: Date, hours: OfficeHours): { nl: string; en: string; overdue: boolean } {
  const overdue = due.getTime() <= now.getTime();
  const minutes = overdue ? workingMinutesBetween(due, now, hours) : workingMinutesBetween(now, due, hours);
  const say = (lang: UiLocale) => (overdue ? TEXTS[lang].late(amount(minutes, hours, lang)) : TEXTS[lang].within(amount(minutes, hours, lang)));
  return { nl: say('nl'), en: say('en'), overdue };
}

/** Where a case stands against its promise. */
export type SlaState = 'none' | 'paused' | 'on-time' | 'warning' | 'breached' | 'met' | 'missed';

export interface SlaFacts {
  status: 'open' | 'closed';
  answerDue: Date | null;
  waitingSince: Date | null;
  closedAt: Date | null;
}

/** A case's state against its answer deadline, and the words for its badge in the agent's language. */
export function slaState(facts: SlaFacts, now: Date, hours: OfficeHours, warnHours: number, lang: UiLocale = 'nl'): { state: SlaState; text: string } {
  const t = TEXTS[lang];
  const due = facts.answerDue;
  if (!due) return { state: 'none', text: '' };
  if (facts.status === 'closed') {
    const met = facts.closedAt !== null && facts.closedAt.getTime() <= due.getTime();
    return met ? { state: 'met', text: t.met } : { state: 'missed', text: t.missed };
  }
  if (facts.waitingSince) return { state: 'paused', text: t.paused };
  const left = timeLeftText(now, due, hours);
  if (left.overdue) return { state: 'breached', text: t.breached(left[lang]) };
  const warning = workingMinutesBetween(now, due, hours) <= warnHours * 60;
  return { state: warning ? 'warning' : 'on-time', text: t.answer(left[lang]) };
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
