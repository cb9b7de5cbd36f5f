/**
 * POSIX `path` for the browser bundle (src/book/live-bundle.ts maps `path` / `node:path` here): the
 * library builds paths at module load (e.g. the shipped models' folder) and the page must load.
 * Pure string functions; the browser's "cwd" is '/'.
 */
export const sep = '/';
export const delimiter = ':';

export function normalize(p: string): string {
  const absolute = p.startsWith('/');
  const out: string[] = [];
  for (const part of p.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..' && out.length > 0 && out[out.length - 1] !== '..') out.pop();
    else if (part !== '..' || !absolute) out.push(part);
  }
  const joined = out.join('/');
  return absolute ? `/${joined}` : joined || '.';
}
export const isAbsolute = (p: string): boolean => p.startsWith('/');
export const join = (...parts: string[]): string => normalize(parts.filter((s) => s !== '').join('/') || '.');
export function resolve(...parts: string[]): string {
  let out = '';
  for (let i = parts.length - 1; i >= 0 && !out.startsWith('/'); i--) out = parts[i] + (out ? `/${out}` : '');
  return normalize(out.startsWith('/') ? out : `/${out}`);
}
export function dirname(p: string): string {
  if (/^\/+$/.test(p)) return '/';
  const i = p.replace(/\/+$/, '').lastIndexOf('/');
  return i < 0 ? '.' : i === 0 ? '/' : p.slice(0, i);
}
export function basename(p: string, ext?: string): string {
  const base = p.replace(/\/+$/, '').split('/').pop() ?? '';
  return ext && base.endsWith(ext) ? base.slice(0, -ext.length) : base;
}
export function extname(p: string): string {
  const base = basename(p);
  const i = base.lastIndexOf('.');
  return i <= 0 ? '' : base.slice(i);
}
export function relative(from: string, to: string): string {
  const a = resolve(from).split('/').filter(Boolean);
  const b = resolve(to).split('/').filter(Boolean);
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  return [...a.slice(i).map(() => '..'), ...b.slice(i)].join('/');
}
export const posix = { sep, delimiter, normalize, isAbsolute, join, resolve, dirname, basename, extname, relative };
export default posix;
