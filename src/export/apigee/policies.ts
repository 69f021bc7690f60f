/**
 * Apigee X policy documents: CORS, SpikeArrest, VerifyJWT, RaiseFault and AssignMessage, each a
 * file of `apiproxy/policies/` named after the policy. Fault bodies are API Gateway's.
 */

import { GATEWAY_MESSAGES, type GatewayStatus, gatewayBody } from '../../aws/gateway-answers.ts';
import type { CorsConfig, JwtAuthorizerConfig, ThrottleConfig } from '../../config/index.ts';
import { el, renderXml, type XmlElement } from '../xml.ts';

export interface Policy {
  name: string;
  xml: string;
}

const policy = (root: XmlElement): Policy => ({ name: String(root.attrs?.name), xml: renderXml(root, true) });

/** A response with API Gateway's status and body, raised (RaiseFault) or set in a fault rule (AssignMessage). */
export function raiseFault(status: GatewayStatus): Policy {
  return policy(
    el(
      'RaiseFault',
      { name: `RF-${status}`, continueOnError: false, enabled: true },
      el('DisplayName', null, `RF-${status}`),
      el(
        'FaultResponse',
        null,
        el(
          'Set',
          null,
          el('Payload', { contentType: 'application/json' }, gatewayBody(status)),
          el('StatusCode', null, String(status)),
          el('ReasonPhrase', null, GATEWAY_MESSAGES[status]),
        ),
      ),
      el('IgnoreUnresolvedVariables', null, 'true'),
    ),
  );
}

export function faultBody(status: GatewayStatus): Policy {
  return policy(
    el(
      'AssignMessage',
      { name: `AM-fault-${status}`, continueOnError: false, enabled: true },
      el('DisplayName', null, `AM-fault-${status}`),
      el(
        'Set',
        null,
        el('Payload', { contentType: 'application/json' }, gatewayBody(status)),
        el('StatusCode', null, String(status)),
        el('ReasonPhrase', null, GATEWAY_MESSAGES[status]),
      ),
      el('IgnoreUnresolvedVariables', null, 'true'),
    ),
  );
}

type Cors = Required<Omit<CorsConfig, 'maxAge'>> & { maxAge?: number };

export function corsPolicy(cors: Cors): Policy {
  const origins = cors.allowOrigins.filter((o) => o === '*' || !o.includes('*'));
  const methods = cors.allowMethods.map((m) => (m === 'ANY' ? '*' : m));
  return policy(
    el(
      'CORS',
      { name: 'CORS-api', continueOnError: false, enabled: true },
      el('DisplayName', null, 'CORS-api'),
      el('AllowOrigins', null, (origins.length ? origins : ['*']).join(', ')),
      el('AllowMethods', null, methods.join(', ') || 'GET, POST'),
      el('AllowHeaders', null, cors.allowHeaders.join(', ') || 'origin'),
      cors.exposeHeaders.length > 0 && el('ExposeHeaders', null, cors.exposeHeaders.join(', ')),
      el('MaxAge', null, String(cors.maxAge ?? -1)),
      el('AllowCredentials', null, String(cors.allowCredentials)),
      // API Gateway answers preflights itself when CORS is configured.
      el('GeneratePreflightResponse', null, 'true'),
      el('IgnoreUnresolvedVariables', null, 'true'),
    ),
  );
}

/** SpikeArrest's Rate is a whole number per second or per minute: 0.5/s becomes 30pm. */
export function spikeRate(rateLimit: number): string {
  return Number.isInteger(rateLimit) ? `${rateLimit}ps` : `${Math.max(1, Math.round(rateLimit * 60))}pm`;
}

export function spikeArrest(name: string, throttle: ThrottleConfig): Policy {
  return policy(
    el(
      'SpikeArrest',
      { name, continueOnError: false, enabled: true },
      el('DisplayName', null, name),
      el('Rate', null, spikeRate(throttle.rateLimit)),
      // A sliding-window count across message processors, closer to a bucket than per-processor smoothing.
      el('UseEffectiveCount', null, 'true'),
    ),
  );
}

export function verifyJwt(name: string, auth: JwtAuthorizerConfig, jwksUri: string): Policy {
  const source = /^\$request\.(header|querystring)\.(.+)$/.exec(auth.identitySource ?? '$request.header.Authorization');
  const isDefault = source?.[1] === 'header' && source[2].toLowerCase() === 'authorization';
  return policy(
    el(
      'VerifyJWT',
      // Continue on failure so the flow answers API Gateway's 401 body (RF-401) instead of Apigee's.
      { name, continueOnError: true, enabled: true },
      el('DisplayName', null, name),
      el('Algorithm', null, 'RS256'),
      !isDefault &&
        source !== null &&
        el('Source', null, `request.${source[1] === 'header' ? 'header' : 'queryparam'}.${source[2]}`),
      el('PublicKey', null, el('JWKS', { uri: jwksUri })),
      el('Issuer', null, auth.issuer),
      // The audiences (API Gateway takes any of several) are checked by the flow's RF-401 condition.
    ),
  );
}

/** Sets the target URL for an HTTP integration whose path differs from the request's. */
export function targetUrl(name: string, template: string): Policy {
  return policy(
    el(
      'AssignMessage',
      { name, continueOnError: false, enabled: true },
      el('DisplayName', null, name),
      el('AssignVariable', null, el('Name', null, 'target.copy.pathsuffix'), el('Value', null, 'false')),
      el('AssignVariable', null, el('Name', null, 'target.url'), el('Template', null, template)),
      el('IgnoreUnresolvedVariables', null, 'true'),
    ),
  );
}
