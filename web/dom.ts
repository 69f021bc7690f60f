/** A tiny element builder: text always goes in as text, never as HTML (log lines come from handlers). */
export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attributes: Record<string, string | number | undefined> = {},
  ...children: (Node | string | undefined)[]
): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes))
    if (value !== undefined) element.setAttribute(name, String(value));
  for (const child of children) if (child !== undefined) element.append(child);
  return element;
}

export const ms = (v: number | undefined) =>
  v === undefined ? '–' : v < 10 ? `${v.toFixed(2)} ms` : `${v.toFixed(1)} ms`;
export const pct = (v: number | undefined) => (v === undefined ? '–' : `${v.toFixed(v < 10 ? 2 : 1)} %`);
export const usd = (v: number) => (v !== 0 && v < 0.01 ? `$${v.toFixed(4)}` : `$${v.toFixed(2)}`);
export const count = (v: number) => (Number.isInteger(v) ? v.toLocaleString('en-US') : v.toFixed(2));
