/**
 * The embeddable chat widget. One tag on any page, on any origin:
 *   <script src="https://loket.example/widget.js" defer></script>
 * Options on that tag: data-server (another server than the script's origin), data-lang="en",
 * data-identity (inside the employees' portal: its ID token for the signed-in employee).
 * Built into one file by build.ts; speaks the protocol of ../chat.protocol.ts.
 */
import { ChatWidget } from './widget.chat.js';
import { readSettings } from './widget.settings.js';
import { injectStyles } from './widget.styles.js';

export interface LoketChatApi {
  open(): void;
  close(): void;
}

declare global {
  interface Window {
    LoketChat?: LoketChatApi;
  }
}

// currentScript is only set while this file first runs, so read it before waiting for the DOM.
const settings = readSettings(document.currentScript, document);

function mount(): void {
  if (window.LoketChat) return; // the tag was included twice
  injectStyles(document);
  const widget = new ChatWidget(settings);
  widget.mount(document.body);
  window.LoketChat = { open: () => widget.open(), close: () => widget.close() };
}

if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', mount);
else mount();
