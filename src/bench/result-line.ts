/**
 * The machine-readable last line every benchmark prints: `RESULT key=value key=value ...`.
 */
export type ResultFields = Record<string, string | number | null>;

/** Format fields as a RESULT line; null becomes `NA`, numbers keep 4 significant digits. */
export function formatResultLine(fields: ResultFields): string {
  const parts = Object.entries(fields).map(([key, value]) => {
    if (!/^[a-z][a-z0-9_]*$/.test(key)) throw new Error(`formatResultLine: key '${key}' must be snake_case`);
    const text = value === null ? 'NA' : typeof value === 'number' ? formatNumber(value) : value;
    if (/\s/.test(text)) throw new Error(`formatResultLine: value of '${key}' must not contain spaces; got '${text}'`);
    return `${key}=${text}`;
  });
  return `RESULT ${parts.join(' ')}`;
}

/** Parse the last RESULT line of a benchmark's output; throws when there is none. */
export function parseResultLine(output: string): Record<string, string> {
  const line = output
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l.startsWith('RESULT '))
    .pop();
  if (!line) throw new Error('parseResultLine: the output has no line starting with "RESULT "');
  const fields: Record<string, string> = {};
  for (const part of line.slice('RESULT '.length).split(/\s+/).filter(Boolean)) {
    const eq = part.indexOf('=');
    if (eq <= 0) throw new Error(`parseResultLine: '${part}' is not key=value`);
    fields[part.slice(0, eq)] = part.slice(eq + 1);
  }
  return fields;
}

function formatNumber(value: number): string {
  if (!Number.isFinite(value)) return 'NA';
  if (Number.isInteger(value)) return String(value);
  return Number(value.toPrecision(4)).toString();
}
