/** What a client may send to create an order, and how it is checked. */
export interface NewOrder {
  customer: string;
  item: string;
  quantity: number;
  note?: string;
}

export interface Order extends NewOrder {
  id: string;
  status: 'received';
  createdAt: string;
}

const ALLOWED = new Set(['customer', 'item', 'quantity', 'note']);

/** Returns the order, or the list of what is wrong with the body (each naming the field and what was expected). */
export function parseNewOrder(body: string | undefined): NewOrder | { errors: string[] } {
  if (!body) return { errors: ['body: expected a JSON object like {"customer":"ada","item":"book","quantity":1}'] };
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch {
    return { errors: ['body: not valid JSON'] };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { errors: ['body: expected a JSON object'] };
  }
  const input = value as Record<string, unknown>;
  const errors: string[] = [];
  for (const key of Object.keys(input)) if (!ALLOWED.has(key)) errors.push(`${key}: unknown field`);
  const text = (field: string, max: number) => {
    const v = input[field];
    if (typeof v !== 'string' || v.trim() === '' || v.length > max) {
      errors.push(`${field}: expected a non-empty string of at most ${max} characters`);
    }
  };
  text('customer', 100);
  text('item', 200);
  const quantity = input.quantity;
  if (typeof quantity !== 'number' || !Number.isInteger(quantity) || quantity < 1 || quantity > 1000) {
    errors.push('quantity: expected a whole number from 1 to 1000');
  }
  if (input.note !== undefined && (typeof input.note !== 'string' || input.note.length > 500)) {
    errors.push('note: expected a string of at most 500 characters');
  }
  if (errors.length) return { errors };
  return {
    customer: input.customer as string,
    item: input.item as string,
    quantity: quantity as number,
    ...(input.note === undefined ? {} : { note: input.note as string }),
  };
}
