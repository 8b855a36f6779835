import type { ChatLocale } from '../chat.protocol.js';

export interface WidgetSettings {
  /** Origin (or base URL) of the Loket server, without a trailing slash. */
  server: string;
  locale: ChatLocale;
  /** The portal's ID token for the signed-in employee (data-identity), sent with chat:start. */
  identity?: string;
}

/** Reads where the server is and which language to speak from the widget's own script tag. */
export function readSettings(script: HTMLOrSVGScriptElement | null, doc: Document): WidgetSettings {
  const element = script instanceof HTMLScriptElement ? script : null;
  const explicit = element?.dataset['server'];
  const server = explicit || (element?.src ? new URL(element.src).origin : doc.location.origin);
  const lang = element?.dataset['lang'] || doc.documentElement.lang || 'nl';
  const identity = element?.dataset['identity'] || undefined;
  return { server: server.replace(/\/+$/, ''), locale: lang.toLowerCase().startsWith('en') ? 'en' : 'nl', ...(identity ? { identity } : {}) };
}
