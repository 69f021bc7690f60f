import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';

const startedAt = new Date().toISOString();

export const handler = async (event: APIGatewayProxyEventV2): Promise<APIGatewayProxyStructuredResultV2> => ({
  statusCode: 200,
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify({
    status: 'ok',
    region: process.env.AWS_REGION,
    stage: event.requestContext.stage,
    tier: event.stageVariables?.tier ?? null,
    environmentStartedAt: startedAt,
  }),
});
