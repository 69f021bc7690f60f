import { createHash } from 'node:crypto';

/** A stable, API-Gateway-looking id: 10 lower-case letters and digits derived from the API name. */
export function apiIdFor(apiName: string): string {
  const digest = createHash('sha256').update(apiName).digest();
  const alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789';
  let id = '';
  for (let i = 0; i < 10; i++) id += alphabet[digest[i] % alphabet.length];
  return id;
}
