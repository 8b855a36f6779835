const BRAND = '#154273';
const FOCUS = '#ffbf47';

// Every selector starts with .loket-chat-: the host page's own styles stay untouched, and
// the class selectors outweigh the host's element selectors (button { ... }) on our elements.
const CSS = `
.loket-chat-root,.loket-chat-root *{box-sizing:border-box;font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;letter-spacing:normal;text-transform:none;color:inherit}
.loket-chat-root{font-size:16px;line-height:1.5;color:#1a1a1a;text-align:left}
.loket-chat-root [hidden]{display:none!important}
.loket-chat-launcher{position:fixed;right:1rem;bottom:1rem;z-index:2147483000;margin:0;padding:.75rem 1.25rem;border:2px solid #fff;border-radius:2rem;background:${BRAND};color:#fff;font-size:1rem;font-weight:600;cursor:pointer;box-shadow:0 2px 8px rgba(0,0,0,.3)}
.loket-chat-launcher:hover{background:#0f2f52}
.loket-chat-root button:focus-visible,.loket-chat-root a:focus-visible,.loket-chat-input:focus,.loket-chat-root input:focus-visible,.loket-chat-log:focus-visible,.loket-chat-root [tabindex="-1"]:focus{outline:3px solid ${FOCUS};outline-offset:1px;box-shadow:0 0 0 5px #1a1a1a}
.loket-chat-root [tabindex="-1"]:focus{outline:none;box-shadow:none}
.loket-chat-panel{position:fixed;right:1rem;bottom:5rem;z-index:2147483000;display:flex;flex-direction:column;width:min(24rem,calc(100vw - 2rem));height:min(38rem,calc(100vh - 6rem));background:#fff;border:1px solid #767676;border-radius:6px;box-shadow:0 4px 24px rgba(0,0,0,.25);overflow:hidden;animation:loket-chat-in .15s ease-out}
@keyframes loket-chat-in{from{opacity:0;transform:translateY(.5rem)}to{opacity:1;transform:none}}
.loket-chat-header{display:flex;align-items:center;justify-content:space-between;gap:.5rem;padding:.5rem .5rem .5rem 1rem;background:${BRAND};color:#fff}
.loket-chat-title{margin:0;font-size:1.05rem;font-weight:700;color:#fff}
.loket-chat-hide{margin:0;width:2.5rem;height:2.5rem;padding:0;border:0;border-radius:3px;background:transparent;color:#fff;font-size:1.6rem;line-height:1;cursor:pointer}
.loket-chat-alert:not(:empty){margin:.5rem 1rem 0;padding:.5rem .75rem;border-left:4px solid #b00020;background:#fdecee;color:#7a0016;font-weight:600}
.loket-chat-body{flex:1;display:flex;flex-direction:column;min-height:0;overflow:auto;padding:1rem}
.loket-chat-body p{margin:0 0 .75rem}
.loket-chat-subtitle{margin:0 0 .75rem;font-size:1.1rem;font-weight:700}
.loket-chat-contact{margin:0;padding-left:1.25rem}
.loket-chat-contact li{margin:.25rem 0}
.loket-chat-link{color:${BRAND};text-decoration:underline}
.loket-chat-label{display:block;margin:.75rem 0 .25rem;padding:0;font-weight:600}
.loket-chat-hint{color:#5a5a5a;font-weight:400;font-size:.9rem}
.loket-chat-input{display:block;width:100%;margin:0;padding:.5rem;border:1px solid #767676;border-radius:3px;background:#fff;color:#1a1a1a;font-size:1rem}
.loket-chat-input[aria-invalid="true"],.loket-chat-fieldset[aria-invalid="true"]{border:2px solid #b00020}
.loket-chat-field-error{margin:.25rem 0 0!important;color:#b00020;font-weight:600}
.loket-chat-fieldset{margin:.75rem 0 0;padding:0;border:0;min-width:0}
.loket-chat-fieldset .loket-chat-label{margin-top:0}
.loket-chat-choice{display:flex;align-items:flex-start;gap:.5rem;margin:.35rem 0;font-weight:400;cursor:pointer}
.loket-chat-radio,.loket-chat-checkbox{width:1.15rem;height:1.15rem;margin:.2rem 0 0;flex:none;accent-color:${BRAND}}
.loket-chat-prechat .loket-chat-choice:has(.loket-chat-checkbox){margin-top:1rem}
.loket-chat-button{display:inline-block;margin:1rem 0 0;padding:.6rem 1.1rem;border:2px solid ${BRAND};border-radius:3px;background:${BRAND};color:#fff;font-size:1rem;font-weight:600;cursor:pointer}
.loket-chat-button:disabled{opacity:.5;cursor:not-allowed}
.loket-chat-secondary{background:#fff;color:${BRAND}}
.loket-chat-conversation{flex:1;display:flex;flex-direction:column;min-height:0}
.loket-chat-status{margin:0 0 .5rem!important;font-weight:600;color:${BRAND}}
.loket-chat-log{flex:1;min-height:6rem;overflow-y:auto;padding:.25rem;display:flex;flex-direction:column;gap:.5rem}
.loket-chat-line{max-width:85%;padding:.4rem .65rem;border-radius:6px;background:#eef2f7;white-space:pre-wrap;overflow-wrap:anywhere}
.loket-chat-line-visitor{align-self:flex-end;background:${BRAND};color:#fff}
.loket-chat-line-agent{align-self:flex-start;background:#eef2f7}
.loket-chat-line-system{align-self:center;max-width:100%;background:transparent;color:#5a5a5a;font-style:italic;text-align:center}
.loket-chat-line-from,.loket-chat-line-meta{display:block;font-size:.75rem;opacity:.85}
.loket-chat-line-from{font-weight:700}
.loket-chat-line-system .loket-chat-line-from{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0)}
.loket-chat-line-time+.loket-chat-line-status::before{content:" · "}
.loket-chat-line[data-status="pending"]{opacity:.75}
.loket-chat-line[data-status="failed"]{background:#fdecee;color:#7a0016;border:2px solid #b00020}
.loket-chat-typing{margin:.25rem 0 0!important;color:#5a5a5a;font-style:italic;font-size:.9rem}
.loket-chat-composer{display:flex;gap:.5rem;align-items:flex-end;margin-top:.5rem}
.loket-chat-textarea{flex:1;resize:none;min-height:2.75rem;max-height:8rem}
.loket-chat-composer .loket-chat-button{margin:0}
.loket-chat-actions{display:flex;justify-content:flex-end;gap:.5rem}
.loket-chat-actions .loket-chat-button{margin-top:.5rem;padding:.35rem .75rem;font-size:.9rem}
.loket-chat-visually-hidden{position:absolute!important;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
@media (max-width:30rem){.loket-chat-panel{right:0;bottom:0;width:100vw;height:100%;border-radius:0}.loket-chat-root[data-open] .loket-chat-launcher{display:none}}
@media (prefers-reduced-motion:reduce){.loket-chat-panel{animation:none}.loket-chat-root *{transition:none!important;animation:none!important}}
`;

/** Adds the widget's one <style> element to the page (once). */
export function injectStyles(doc: Document): void {
  if (doc.getElementById('loket-chat-style')) return;
  const style = doc.createElement('style');
  style.id = 'loket-chat-style';
  style.textContent = CSS;
  doc.head.append(style);
}
