import { TEXTS } from './post.texts.js';

export interface PostalAddress {
  street?: string;
  postalCode?: string;
  city?: string;
  country?: string;
}

export interface LetterPdfInput {
  letterhead: { organisation: string; returnAddress: string };
  recipient: { name?: string; postalAddress: PostalAddress };
  /** Already formatted, e.g. "maandag 23 november 2026" (formatLongDate). */
  date: string;
  reference: string;
  subject: string;
  body: string;
}

/** Millimetres in PDF points. */
const mm = (value: number) => (value * 72) / 25.4;

/**
 * Where things sit on A4. The address block matches the window of a Dutch window
 * envelope (EA5/6, window left): 22 mm from the left, 50 mm from the top, 85 × 40 mm.
 */
const LAYOUT = {
  left: mm(22),
  right: mm(20),
  top: mm(20),
  bottom: mm(25),
  window: { x: mm(22), y: mm(50), width: mm(85), height: mm(40) },
  details: mm(100),
  body: mm(128),
} as const;

/** The address lines as PostNL wants them: postal code, two spaces, the city in capitals. */
export function addressLines(name: string | undefined, address: PostalAddress): string[] {
  const town = [address.postalCode?.trim(), address.city?.trim().toUpperCase()].filter(Boolean).join('  ');
  const abroad = address.country?.trim() && !/^(nederland|the netherlands|nl)$/i.test(address.country.trim());
  return [name?.trim(), address.street?.trim(), town, abroad ? address.country!.trim().toUpperCase() : undefined].filter((line): line is string =>
    Boolean(line),
  );
}

/** Renders one letter as an A4 PDF, ready to print and fold into a window envelope. */
export async function renderLetterPdf(input: LetterPdfInput): Promise<Buffer> {
  // pdfkit (fonts and all) is loaded on the first letter, not by every process that starts.
  const { default: PDFDocument } = await import('pdfkit');
  const doc = new PDFDocument({
    size: 'A4',
    margins: { top: LAYOUT.top, bottom: LAYOUT.bottom, left: LAYOUT.left, right: LAYOUT.right },
    bufferPages: true,
    info: { Title: `${input.subject} (${input.reference})`, Author: input.letterhead.organisation },
  });
  const done = collect(doc);
  drawLetterhead(doc, input.letterhead);
  drawAddressBlock(doc, input);
  drawDetails(doc, input);
  drawBody(doc, input.body);
  numberPages(doc, input.reference);
  doc.end();
  return done;
}

function collect(doc: PDFKit.PDFDocument): Promise<Buffer> {
  const chunks: Buffer[] = [];
  return new Promise((resolve, reject) => {
    doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
}

const contentWidth = (doc: PDFKit.PDFDocument) => doc.page.width - LAYOUT.left - LAYOUT.right;

function drawLetterhead(doc: PDFKit.PDFDocument, letterhead: LetterPdfInput['letterhead']): void {
  const x = doc.page.width / 2;
  const width = doc.page.width - x - LAYOUT.right;
  doc.font('Helvetica-Bold').fontSize(14).text(letterhead.organisation, x, LAYOUT.top, { width, align: 'right' });
  doc
    .font('Helvetica')
    .fontSize(8.5)
    .fillColor('#444444')
    .text(letterhead.returnAddress, x, doc.y + 2, { width, align: 'right' });
  doc.fillColor('black');
}

/** The return address in small type on top, then the recipient: both show through the window. */
function drawAddressBlock(doc: PDFKit.PDFDocument, input: LetterPdfInput): void {
  const { x, y, width } = LAYOUT.window;
  const returnLine = `${TEXTS.pdf.returnAddress} ${input.letterhead.organisation}, ${input.letterhead.returnAddress}`;
  doc.font('Helvetica').fontSize(7).text(returnLine, x, y, { width, lineBreak: false, ellipsis: true });
  doc.moveDown(0.8).fontSize(10.5);
  for (const line of addressLines(input.recipient.name, input.recipient.postalAddress)) {
    doc.text(line, x, doc.y, { width, lineBreak: false, ellipsis: true });
  }
}

function drawDetails(doc: PDFKit.PDFDocument, input: LetterPdfInput): void {
  const labelWidth = mm(30);
  const valueX = LAYOUT.left + labelWidth;
  const valueWidth = contentWidth(doc) - labelWidth;
  let y = LAYOUT.details;
  for (const [label, value] of [
    [TEXTS.pdf.date, input.date],
    [TEXTS.pdf.reference, input.reference],
    [TEXTS.pdf.subject, input.subject],
  ] as const) {
    doc.font('Helvetica-Bold').fontSize(9).text(label, LAYOUT.left, y, { width: labelWidth });
    doc.font('Helvetica').fontSize(9).text(value, valueX, y, { width: valueWidth });
    y = Math.max(doc.y, y + 12) + 2;
  }
}

/** The body flows onto further pages by itself; pdfkit breaks at the bottom margin. */
function drawBody(doc: PDFKit.PDFDocument, body: string): void {
  const top = Math.max(LAYOUT.body, doc.y + mm(8));
  doc
    .font('Helvetica')
    .fontSize(10.5)
    .text(body.replace(/\r\n?/g, '\n'), LAYOUT.left, top, {
      width: contentWidth(doc),
      lineGap: 2,
    });
}

/** Page numbers, and the reference on continuation pages, only when a letter runs over. */
function numberPages(doc: PDFKit.PDFDocument, reference: string): void {
  const { start, count } = doc.bufferedPageRange();
  if (count < 2) return;
  for (let i = start; i < start + count; i++) {
    doc.switchToPage(i);
    // Writing inside the margins would make pdfkit open yet another page.
    const margins = doc.page.margins;
    doc.page.margins = { ...margins, top: 0, bottom: 0 };
    const width = contentWidth(doc);
    doc.font('Helvetica').fontSize(8).fillColor('#444444');
    doc.text(TEXTS.pdf.page(i - start + 1, count), LAYOUT.left, doc.page.height - mm(15), { width, align: 'right', lineBreak: false });
    if (i > start) doc.text(`${TEXTS.pdf.reference} ${reference}`, LAYOUT.left, mm(10), { width, lineBreak: false });
    doc.fillColor('black');
    doc.page.margins = margins;
  }
}
