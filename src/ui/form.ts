import { html, type SafeHtml } from './html.js';

/** The words every form field uses, in the page's language. */
export interface FieldTexts {
  required: string;
  optional: string;
  /** Read before an error by screen readers ("Fout:"). */
  errorPrefix: string;
}

export interface FieldSpec {
  name: string;
  label: string;
  required: boolean;
  error?: string;
  hint?: string;
}

/**
 * A labelled control with its hint and error tied to it by aria-describedby, marked
 * aria-invalid when wrong. `control` gets the attributes to put on the input.
 */
export function formField(texts: FieldTexts, spec: FieldSpec, control: (attrs: SafeHtml) => SafeHtml): SafeHtml {
  const { name, label, required, error, hint } = spec;
  const describedBy = [hint ? `${name}-hint` : '', error ? `${name}-error` : ''].filter(Boolean).join(' ');
  const attrs = html`id="${name}" name="${name}"${required ? html` required aria-required="true"` : ''}${
    error ? html` aria-invalid="true"` : ''
  }${describedBy ? html` aria-describedby="${describedBy}"` : ''}`;
  return html`<label for="${name}">${label} <span class="hint">(${required ? texts.required : texts.optional})</span></label>
${hint ? html`<p class="hint" id="${name}-hint">${hint}</p>` : ''}
${control(attrs)}
${fieldError(texts, name, error)}`;
}

/** The error line of a field (its id is what aria-describedby points to). */
export function fieldError(texts: FieldTexts, name: string, error: string | undefined): SafeHtml | '' {
  return error ? html`<p class="field-error" id="${name}-error"><span class="visually-hidden">${texts.errorPrefix} </span>${error}</p>` : '';
}
