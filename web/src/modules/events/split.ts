// Splitting an applicants' CSV into parts for the campaign upload (no
// imports: tests/unit/split-csv.test.mjs loads this file on its own).

// Splits a CSV into parts of at most `maxBytes` (UTF-8), each starting with
// the header line; a quoted field spanning lines stays in one part.
export function splitCsv(csv: string, maxBytes: number): string[] {
  const lines = csv.replace(/\r\n/g, '\n').split('\n');
  const header = lines.shift() ?? '';
  const encoder = new TextEncoder();
  const headerBytes = encoder.encode(header).length + 1;
  const parts: string[] = [];
  let rows: string[] = [];
  let bytes = headerBytes;
  let record = '';
  const flush = () => {
    if (rows.length > 0) parts.push([header, ...rows].join('\n') + '\n');
    rows = [];
    bytes = headerBytes;
  };
  for (const line of lines) {
    record = record ? `${record}\n${line}` : line;
    // An odd number of quotes: the record goes on on the next line.
    if ((record.match(/"/g)?.length ?? 0) % 2 === 1) continue;
    if (record.trim() === '') {
      record = '';
      continue;
    }
    const size = encoder.encode(record).length + 1;
    if (rows.length > 0 && bytes + size > maxBytes) flush();
    rows.push(record);
    bytes += size;
    record = '';
  }
  if (record.trim()) rows.push(record);
  flush();
  return parts;
}
