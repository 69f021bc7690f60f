import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';

export function json(statusCode: number, body: unknown): APIGatewayProxyStructuredResultV2 {
  return { statusCode, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) };
}

export function problem(statusCode: number, message: string, details?: string[]): APIGatewayProxyStructuredResultV2 {
  return json(statusCode, details ? { message, details } : { message });
}
