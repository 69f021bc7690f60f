import { randomUUID } from 'node:crypto';
import { Logger } from '@aws-lambda-powertools/logger';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  DeleteCommand,
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  ScanCommand,
} from '@aws-sdk/lib-dynamodb';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { json, problem } from '../lib/http.ts';
import { type Order, parseNewOrder } from '../lib/order.ts';

// Created once per execution environment and reused while it is warm, as on Lambda.
const logger = new Logger();
const db = DynamoDBDocumentClient.from(new DynamoDBClient({}));
const TABLE = process.env.TABLE_NAME ?? 'orders';
const PAGE_LIMIT = 100;

async function listOrders(event: APIGatewayProxyEventV2) {
  const cursor = event.queryStringParameters?.cursor;
  let startKey: Record<string, unknown> | undefined;
  if (cursor) {
    try {
      startKey = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    } catch {
      return problem(400, 'cursor: expected the value of "next" from a previous page');
    }
  }
  const customer = event.queryStringParameters?.customer;
  // One customer's orders come from the byCustomer index, newest first; all of them from a scan.
  const page = customer
    ? await db.send(
        new QueryCommand({
          TableName: TABLE,
          IndexName: 'byCustomer',
          KeyConditionExpression: 'customer = :customer',
          ExpressionAttributeValues: { ':customer': customer },
          ScanIndexForward: false,
          Limit: PAGE_LIMIT,
          ExclusiveStartKey: startKey,
        }),
      )
    : await db.send(new ScanCommand({ TableName: TABLE, Limit: PAGE_LIMIT, ExclusiveStartKey: startKey }));
  const next = page.LastEvaluatedKey
    ? Buffer.from(JSON.stringify(page.LastEvaluatedKey)).toString('base64url')
    : undefined;
  return json(200, { orders: page.Items ?? [], ...(next ? { next } : {}) });
}

async function createOrder(event: APIGatewayProxyEventV2) {
  const raw = event.body && event.isBase64Encoded ? Buffer.from(event.body, 'base64').toString('utf8') : event.body;
  const parsed = parseNewOrder(raw);
  if ('errors' in parsed) return problem(400, 'invalid order', parsed.errors);
  const order: Order = { id: randomUUID(), status: 'received', createdAt: new Date().toISOString(), ...parsed };
  await db.send(new PutCommand({ TableName: TABLE, Item: order, ConditionExpression: 'attribute_not_exists(id)' }));
  logger.info('order created', { orderId: order.id, quantity: order.quantity });
  return { ...json(201, order), headers: { 'content-type': 'application/json', location: `orders/${order.id}` } };
}

async function getOrder(id: string) {
  const found = await db.send(new GetCommand({ TableName: TABLE, Key: { id } }));
  return found.Item ? json(200, found.Item) : problem(404, `order ${id} not found`);
}

async function deleteOrder(id: string) {
  const removed = await db.send(new DeleteCommand({ TableName: TABLE, Key: { id }, ReturnValues: 'ALL_OLD' }));
  if (!removed.Attributes) return problem(404, `order ${id} not found`);
  logger.info('order deleted', { orderId: id });
  return { statusCode: 204 };
}

export const handler = async (
  event: APIGatewayProxyEventV2,
  context: Context,
): Promise<APIGatewayProxyStructuredResultV2> => {
  logger.addContext(context);
  const id = event.pathParameters?.id ?? '';
  switch (event.routeKey) {
    case 'GET /orders':
      return listOrders(event);
    case 'POST /orders':
      return createOrder(event);
    case 'GET /orders/{id}':
      return getOrder(id);
    case 'DELETE /orders/{id}':
      return deleteOrder(id);
    default:
      return problem(404, `no handler for ${event.routeKey}`);
  }
};
