/**
 * XML documents as plain data, rendered by xmlbuilder2 so every attribute and text is escaped:
 * policy expressions are full of `"`, `&&` and `<`, which a string template would leave raw and
 * a strict parser (xmllint, the gateways) would reject.
 */
import { create } from 'xmlbuilder2';
import type { XMLBuilder } from 'xmlbuilder2/lib/interfaces.js';

export interface XmlElement {
  name: string;
  attrs?: Record<string, string | number | boolean | undefined>;
  children?: (XmlElement | false | undefined)[];
  text?: string;
}

/** `el('cors', { 'allow-credentials': false }, child…)`: undefined attributes and falsy children are left out. */
export function el(
  name: string,
  attrs?: XmlElement['attrs'] | null,
  ...children: (XmlElement | false | undefined | string)[]
): XmlElement {
  const text = children.find((c): c is string => typeof c === 'string');
  return {
    name,
    attrs: attrs ?? undefined,
    children: children.filter((c): c is XmlElement => typeof c === 'object' && c !== null),
    text,
  };
}

function append(parent: XMLBuilder, element: XmlElement): void {
  const attrs: Record<string, string> = {};
  for (const [key, value] of Object.entries(element.attrs ?? {})) if (value !== undefined) attrs[key] = String(value);
  const node = parent.ele(element.name, attrs);
  if (element.text !== undefined) node.txt(element.text);
  for (const child of element.children ?? []) if (child) append(node, child);
}

/** The document, indented; `declaration` adds `<?xml version="1.0" encoding="UTF-8"?>` (Apigee bundles carry one). */
export function renderXml(root: XmlElement, declaration = false): string {
  const doc = declaration ? create({ version: '1.0', encoding: 'UTF-8', standalone: true }) : create();
  append(doc, root);
  return `${doc.end({ headless: !declaration, prettyPrint: true })}\n`;
}
