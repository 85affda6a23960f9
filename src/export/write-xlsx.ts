// The audit workbook through exceljs's streaming writer: each row is committed (serialised and
// handed to the zip) as it is made, and sheets are written one after another, so memory stays flat
// in the number of assets.
//
// Every string cell goes through sheetText (formula guard, control characters, Excel's length
// limit) and is written as a string: exceljs makes a formula only from a { formula } object, which
// nothing here builds. Numbers and Dates are written as typed cells with a number format.
import { PassThrough, type Writable } from 'node:stream';
import ExcelJS from 'exceljs';
import type { CellValue, ColumnKind, SheetSpec } from './audit-sheets.js';
import { sheetText } from './sanitize-cell.js';

const NUM_FMT: Record<ColumnKind, string | undefined> = {
  text: undefined,
  number: '0',
  date: 'yyyy-mm-dd hh:mm',
  percent: '0%',
};

/** Rows between yields to the event loop, so the zip stream drains while a big sheet is written. */
const YIELD_EVERY = 2000;

export async function writeWorkbook(sheets: readonly SheetSpec[], out: Writable, meta: { created: Date }): Promise<void> {
  // exceljs ends the stream it writes to and waits for its 'finish'; stdout never finishes, so it
  // writes to a pass-through whose end is not passed on (like the CSV and JSON writers).
  const zipOut = new PassThrough();
  zipOut.pipe(out, { end: false });
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: zipOut, useStyles: true, useSharedStrings: false });
  workbook.creator = 'netcensus';
  workbook.created = meta.created;
  workbook.modified = meta.created;
  for (const spec of sheets) {
    const ws = workbook.addWorksheet(spec.name, { views: [{ state: 'frozen', ySplit: 1, xSplit: 0 }] });
    ws.columns = spec.columns.map((c) => ({
      header: c.header,
      key: c.key,
      width: c.width,
      ...(NUM_FMT[c.kind] ? { style: { numFmt: NUM_FMT[c.kind]! } } : {}),
    }));
    const header = ws.getRow(1);
    header.font = { bold: true };
    header.commit();
    ws.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: spec.columns.length } };
    let count = 0;
    // exceljs gives every cell a style object of its own, and the writer turns each one into XML
    // to look its id up, unless it has met that very object before. So the cells of a column share
    // one: the style exceljs made for the column's first cell (the same content every cell of the
    // column gets), and one with the date format for dates in a mixed column.
    const styles: (Partial<ExcelJS.Style> | undefined)[] = [];
    const dateStyles: (Partial<ExcelJS.Style> | undefined)[] = [];
    for await (const row of spec.rows) {
      const values = spec.columns.map((c) => cell(row[c.key] ?? null));
      const added = ws.addRow(values);
      added.eachCell({ includeEmpty: true }, (c, col) => {
        const i = col - 1;
        const own = (styles[i] ??= c.style);
        // A date in a mixed column (the Summary's values) gets the date format on its own cell.
        if (values[i] instanceof Date && spec.columns[i]!.kind !== 'date') c.style = dateStyles[i] ??= { ...own, numFmt: NUM_FMT.date! };
        else c.style = own;
      });
      added.commit();
      if (++count % YIELD_EVERY === 0) await drained(out);
    }
    if (count === 0 && spec.emptyNote) ws.addRow([sheetText(spec.emptyNote)]).commit();
    ws.commit();
  }
  await workbook.commit();
}

function cell(value: CellValue): string | number | Date | null {
  if (typeof value === 'string') return value === '' ? null : sheetText(value);
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  return value;
}

/** Lets the zip and the file catch up: one turn of the event loop, and a drain if the file is full. */
async function drained(out: Writable): Promise<void> {
  await new Promise<void>((resolve) => setImmediate(resolve));
  if (out.writableNeedDrain) await new Promise<void>((resolve) => out.once('drain', () => resolve()));
}
