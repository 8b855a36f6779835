import { barChartSvg, type BarChart } from './report.charts.js';
import type { ReportTable } from './complaint-report.tables.js';

/** Millimetres in PDF points. */
const mm = (value: number) => (value * 72) / 25.4;
const MARGIN = mm(20);

/**
 * The quarterly complaint report as an A4 PDF (pdfkit): title and period, the charts (the same
 * SVG as the page, drawn by svg-to-pdfkit, so text stays text) and every table.
 */
export async function renderComplaintReportPdf(texts: {
  title: string;
  lines: string[];
  charts: BarChart[];
  tables: ReportTable[];
  none: string;
}): Promise<Buffer> {
  // pdfkit and svg-to-pdfkit are loaded on the first report, not by every process that starts.
  const [{ default: PDFDocument }, { default: SVGtoPDF }] = await Promise.all([import('pdfkit'), import('svg-to-pdfkit')]);
  const doc = new PDFDocument({ size: 'A4', margin: MARGIN, bufferPages: true, info: { Title: texts.title, Author: 'Loket' } });
  const chunks: Buffer[] = [];
  doc.on('data', (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  const width = doc.page.width - 2 * MARGIN;
  doc.font('Helvetica-Bold').fontSize(18).text(texts.title);
  doc.moveDown(0.5).font('Helvetica').fontSize(10);
  for (const line of texts.lines) doc.text(line);
  for (const chart of texts.charts) {
    const svg = await barChartSvg({ ...chart, width: 720 });
    const height = ((chart.height ?? 320) / 720) * width;
    if (doc.y + height > doc.page.height - MARGIN) doc.addPage();
    doc.moveDown(0.5);
    const y = doc.y;
    SVGtoPDF(doc, svg, MARGIN, y, { width, height, assumePt: false });
    doc.y = y + height;
    doc.x = MARGIN;
  }
  for (const table of texts.tables) drawTable(doc, table, width, texts.none);
  doc.end();
  return done;
}

/** A table: its caption, a bold head row, then its rows; long cells wrap, a page break repeats nothing. */
function drawTable(doc: PDFKit.PDFDocument, table: ReportTable, width: number, none: string): void {
  const columns = table.head.length;
  const first = columns === 2 ? width * 0.7 : width / columns;
  const widths = table.head.map((_, i) => (columns === 2 ? (i === 0 ? first : width - first) : width / columns));
  const rowHeight = (cells: (string | number)[]) => Math.max(...cells.map((cell, i) => doc.heightOfString(String(cell), { width: widths[i]! - 6 }))) + 6;
  const drawRow = (cells: (string | number)[], bold: boolean) => {
    doc.font(bold ? 'Helvetica-Bold' : 'Helvetica').fontSize(10);
    const height = rowHeight(cells);
    if (doc.y + height > doc.page.height - MARGIN) doc.addPage();
    const y = doc.y;
    let x = MARGIN;
    cells.forEach((cell, i) => {
      doc.text(String(cell), x + 3, y + 3, { width: widths[i]! - 6, align: typeof cell === 'number' ? 'right' : 'left' });
      x += widths[i]!;
    });
    doc
      .moveTo(MARGIN, y + height)
      .lineTo(MARGIN + width, y + height)
      .lineWidth(0.5)
      .strokeColor('#888')
      .stroke();
    doc.y = y + height;
    doc.x = MARGIN;
  };
  if (doc.y + 60 > doc.page.height - MARGIN) doc.addPage();
  doc.moveDown(1).font('Helvetica-Bold').fontSize(13).text(table.caption, MARGIN, doc.y);
  doc.moveDown(0.3);
  drawRow(table.head, true);
  if (table.rows.length === 0) drawRow([none, ...table.head.slice(1).map(() => '')], false);
  for (const row of table.rows) drawRow(row, false);
}
