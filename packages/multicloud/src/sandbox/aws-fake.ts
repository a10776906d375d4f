import { randomUUID } from 'node:crypto';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { verifySigV4Signature } from '@opsmcp/core/signing';
import { AWS_INSTANCES, AWS_VOLUMES } from './data/aws.js';

/**
 * An in-process EC2 and CloudWatch on 127.0.0.1, for the sandbox and the tests. It checks each
 * request's SigV4 signature against the keys it was given (region and service from the
 * credential scope decide which simulated region answers), dispatches EC2 on the form body's
 * `Action` (query protocol, XML answers) and CloudWatch on `x-amz-target` (JSON 1.0), and pages
 * with NextToken. Read only, like the server's AWS tools.
 */

// biome-ignore lint/suspicious/noExplicitAny: wire-shaped data
type Json = any;

export interface FakeAwsKey {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

export interface FakeAwsRequest {
  service: 'ec2' | 'monitoring' | 'unknown';
  action: string;
  region: string | null;
  params: Record<string, string>;
  json: Json;
  status: number;
  requestId: string;
}

export interface FakeAwsFailure {
  /** EC2 Action or CloudWatch operation, e.g. DescribeInstances or GetMetricData. */
  action: string;
  status: number;
  code: string;
  message?: string;
  times?: number;
}

export interface FakeAwsOptions {
  keys: FakeAwsKey[];
  /** The largest page served, to exercise NextToken with few instances (default: as asked). */
  pageSizeCap?: number;
}

export interface FakeAws {
  url: string;
  /** The most recent requests, oldest first (at most MAX_LOGGED_REQUESTS). */
  requests: FakeAwsRequest[];
  failNext(failure: FakeAwsFailure): void;
  stop(): Promise<void>;
}

export const MAX_LOGGED_REQUESTS = 500;
const MAX_BODY_BYTES = 256 * 1024;
const EC2_NS = 'http://ec2.amazonaws.com/doc/2016-11-15/';

const escapeXml = (s: string) =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** EC2's XML: arrays as `<name><item>…</item></name>`, keys starting with `_` left out. */
export function toXml(name: string, value: Json): string {
  if (value === undefined || value === null) return '';
  if (Array.isArray(value)) return `<${name}>${value.map((v) => toXml('item', v)).join('')}</${name}>`;
  if (typeof value === 'object') {
    const inner = Object.entries(value)
      .filter(([k]) => !k.startsWith('_'))
      .map(([k, v]) => toXml(k, v))
      .join('');
    return `<${name}>${inner}</${name}>`;
  }
  return `<${name}>${escapeXml(String(value))}</${name}>`;
}

class AwsFault extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** `Filter.1.Name=x&Filter.1.Value.1=y` → [{ name: 'x', values: ['y'] }]. */
function filtersOf(params: Record<string, string>): Array<{ name: string; values: string[] }> {
  const filters: Array<{ name: string; values: string[] }> = [];
  for (let n = 1; params[`Filter.${n}.Name`] !== undefined; n++) {
    const values: string[] = [];
    for (let m = 1; params[`Filter.${n}.Value.${m}`] !== undefined; m++)
      values.push(params[`Filter.${n}.Value.${m}`] as string);
    filters.push({ name: params[`Filter.${n}.Name`] as string, values });
  }
  return filters;
}

function listOf(params: Record<string, string>, prefix: string): string[] {
  const out: string[] = [];
  for (let n = 1; params[`${prefix}.${n}`] !== undefined; n++) out.push(params[`${prefix}.${n}`] as string);
  return out;
}

/** The public IPs of an instance as EC2 filters see them. */
function associationIps(instance: Json): string[] {
  const ips: string[] = [];
  for (const eni of instance.networkInterfaceSet ?? []) {
    for (const address of eni.privateIpAddressesSet ?? [])
      if (address.association?.publicIp) ips.push(address.association.publicIp);
  }
  return ips;
}

function matchesFilter(instance: Json, filter: { name: string; values: string[] }): boolean {
  const any = (candidates: Array<string | undefined>) =>
    candidates.some((c) => c !== undefined && filter.values.includes(c));
  switch (filter.name) {
    case 'ip-address':
      return any([instance.ipAddress]);
    case 'network-interface.addresses.association.public-ip':
      return any(associationIps(instance));
    case 'network-interface.ipv6-addresses.ipv6-address':
      return any(
        (instance.networkInterfaceSet ?? []).flatMap((e: Json) =>
          (e.ipv6AddressesSet ?? []).map((a: Json) => a.ipv6Address),
        ),
      );
    case 'instance-id':
      return any([instance.instanceId]);
    case 'instance-state-name':
      return any([instance.instanceState?.name]);
    case 'private-ip-address':
      return any([instance.privateIpAddress]);
    default:
      if (filter.name.startsWith('tag:')) {
        const key = filter.name.slice(4);
        return (instance.tagSet ?? []).some((t: Json) => t.key === key && filter.values.includes(t.value));
      }
      throw new AwsFault(400, 'InvalidParameterValue', `The filter '${filter.name}' is invalid`);
  }
}

/** One page of `items` from the offset in `token`, and the token of the next page. */
function page<T>(items: T[], token: string | undefined, size: number): { items: T[]; next: string | undefined } {
  let offset = 0;
  if (token) {
    const decoded = Number(
      Buffer.from(token, 'base64url')
        .toString('utf8')
        .replace(/^offset:/, ''),
    );
    if (!Number.isInteger(decoded) || decoded < 0)
      throw new AwsFault(400, 'InvalidParameterValue', 'Invalid NextToken');
    offset = decoded;
  }
  const slice = items.slice(offset, offset + size);
  const nextOffset = offset + size;
  return {
    items: slice,
    next: nextOffset < items.length ? Buffer.from(`offset:${nextOffset}`).toString('base64url') : undefined,
  };
}

/** Deterministic metric values: a smooth wave per instance and metric, never random. */
function metricValue(instanceId: string, metric: string, epochSeconds: number): number {
  let hash = 0;
  for (const ch of `${instanceId}/${metric}`) hash = (hash * 31 + ch.charCodeAt(0)) % 997;
  const wave = (Math.sin(epochSeconds / 3600 + hash) + 1) / 2;
  const scale: Record<string, number> = {
    CPUUtilization: 80,
    NetworkIn: 8_000_000,
    NetworkOut: 12_000_000,
    DiskReadOps: 400,
    DiskWriteOps: 900,
  };
  return Math.round((scale[metric] ?? 1) * (0.1 + 0.8 * wave) * 100) / 100;
}

export async function startFakeAws(options: FakeAwsOptions): Promise<FakeAws> {
  const instances: Record<string, Json[]> = structuredClone(AWS_INSTANCES);
  const volumes: Record<string, Json[]> = structuredClone(AWS_VOLUMES);
  const requests: FakeAwsRequest[] = [];
  const failures: Array<FakeAwsFailure & { left: number }> = [];

  function describeInstances(region: string, params: Record<string, string>): string {
    const ids = listOf(params, 'InstanceId');
    const maxResults = params.MaxResults !== undefined ? Number(params.MaxResults) : undefined;
    if (ids.length > 0 && maxResults !== undefined) {
      throw new AwsFault(
        400,
        'InvalidParameterCombination',
        'The parameter instancesSet cannot be used with the parameter maxResults',
      );
    }
    if (maxResults !== undefined && (!Number.isInteger(maxResults) || maxResults < 5 || maxResults > 1000)) {
      throw new AwsFault(
        400,
        'InvalidParameterValue',
        `Value ( ${params.MaxResults} ) for parameter maxResults is invalid.`,
      );
    }
    const all = instances[region] ?? [];
    for (const id of ids) {
      if (!/^i-(?:[0-9a-f]{8}|[0-9a-f]{17})$/.test(id))
        throw new AwsFault(400, 'InvalidInstanceID.Malformed', `Invalid id: "${id}"`);
      if (!all.some((i) => i.instanceId === id)) {
        throw new AwsFault(400, 'InvalidInstanceID.NotFound', `The instance ID '${id}' does not exist`);
      }
    }
    const filters = filtersOf(params);
    const matching = all.filter(
      (i) => (ids.length === 0 || ids.includes(i.instanceId)) && filters.every((f) => matchesFilter(i, f)),
    );
    const size = Math.min(maxResults ?? 1000, options.pageSizeCap ?? 1000);
    const { items, next } =
      ids.length > 0 ? { items: matching, next: undefined } : page(matching, params.NextToken, size);
    const reservations = new Map<string, Json[]>();
    for (const i of items) reservations.set(i._reservationId, [...(reservations.get(i._reservationId) ?? []), i]);
    const reservationSet = [...reservations].map(([reservationId, list]) => ({
      reservationId,
      ownerId: '123456789012',
      groupSet: [],
      instancesSet: list,
    }));
    return toXml('reservationSet', reservationSet) + (next ? toXml('nextToken', next) : '');
  }

  function describeVolumes(region: string, params: Record<string, string>): string {
    const ids = listOf(params, 'VolumeId');
    const filters = filtersOf(params);
    const matching = (volumes[region] ?? []).filter(
      (v) =>
        (ids.length === 0 || ids.includes(v.volumeId)) &&
        filters.every((f) => {
          if (f.name === 'attachment.instance-id')
            return (v.attachmentSet ?? []).some((a: Json) => f.values.includes(a.instanceId));
          if (f.name === 'volume-id') return f.values.includes(v.volumeId);
          throw new AwsFault(400, 'InvalidParameterValue', `The filter '${f.name}' is invalid`);
        }),
    );
    const size = Math.min(params.MaxResults ? Number(params.MaxResults) : 500, options.pageSizeCap ?? 500);
    const { items, next } = page(matching, params.NextToken, size);
    return toXml('volumeSet', items) + (next ? toXml('nextToken', next) : '');
  }

  function getMetricData(region: string, body: Json): Json {
    const queries: Json[] = body?.MetricDataQueries ?? [];
    if (!Array.isArray(queries) || queries.length === 0 || queries.length > 500) {
      throw new AwsFault(400, 'InvalidParameterValue', 'MetricDataQueries must hold 1 to 500 queries');
    }
    const start = Number(body.StartTime);
    const end = Number(body.EndTime);
    if (!Number.isFinite(start) || !Number.isFinite(end) || start >= end) {
      throw new AwsFault(
        400,
        'InvalidParameterValue',
        'The parameter StartTime must be less than the parameter EndTime.',
      );
    }
    const known = new Set((instances[region] ?? []).map((i) => i.instanceId));
    const ascending = body.ScanBy === 'TimestampAscending';
    const results = queries.map((q: Json) => {
      if (!/^[a-z][a-zA-Z0-9_]*$/.test(q.Id ?? '')) {
        throw new AwsFault(
          400,
          'ValidationError',
          `The value ${q.Id} for parameter MetricDataQueries.member.Id is invalid.`,
        );
      }
      const stat = q.MetricStat;
      const period = Number(stat?.Period);
      if (!stat || !Number.isInteger(period) || period < 1 || period % 60 !== 0) {
        throw new AwsFault(400, 'InvalidParameterValue', 'The parameter Period must be a multiple of 60.');
      }
      const instanceId = stat.Metric?.Dimensions?.find((d: Json) => d.Name === 'InstanceId')?.Value;
      const metric = stat.Metric?.MetricName;
      const timestamps: number[] = [];
      const values: number[] = [];
      if (stat.Metric?.Namespace === 'AWS/EC2' && known.has(instanceId)) {
        for (let t = Math.ceil(start / period) * period; t < end; t += period) {
          const value = metricValue(instanceId, metric, t);
          timestamps.push(t);
          values.push(stat.Stat === 'Maximum' ? Math.round(value * 1.4 * 100) / 100 : value);
        }
      }
      if (!ascending) {
        timestamps.reverse();
        values.reverse();
      }
      return { Id: q.Id, Label: metric, Timestamps: timestamps, Values: values, StatusCode: 'Complete' };
    });
    return { MetricDataResults: results, Messages: [] };
  }

  function authenticate(method: string, url: string, headers: IncomingHttpHeaders, body: string) {
    const authorization = String(headers.authorization ?? '');
    const accessKeyId = /Credential=([^/]+)\//.exec(authorization)?.[1];
    const key = options.keys.find((k) => k.accessKeyId === accessKeyId);
    if (!key) throw new AwsFault(401, 'AuthFailure', 'AWS was not able to validate the provided access credentials');
    const verdict = verifySigV4Signature(
      { method, url, headers, body },
      {
        accessKeyId: key.accessKeyId,
        secretAccessKey: key.secretAccessKey,
        ...(key.sessionToken ? { sessionToken: key.sessionToken } : {}),
      },
    );
    if (!verdict.ok) {
      throw new AwsFault(
        403,
        'SignatureDoesNotMatch',
        'The request signature we calculated does not match the signature you provided.',
      );
    }
    const scope = /Credential=[^/]+\/\d{8}\/([^/]+)\/([^/]+)\//.exec(authorization);
    return { region: scope?.[1] ?? null, service: scope?.[2] ?? null };
  }

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY_BYTES) chunks.push(chunk);
    });
    req.on('end', () => {
      const requestId = randomUUID();
      const body = Buffer.concat(chunks).toString('utf8');
      const target = typeof req.headers['x-amz-target'] === 'string' ? req.headers['x-amz-target'] : undefined;
      const isCloudWatch = target !== undefined;
      const params = isCloudWatch ? {} : Object.fromEntries(new URLSearchParams(body));
      let json: Json = null;
      const action = isCloudWatch ? (target.split('.').pop() ?? '') : (params.Action ?? '');
      const log: FakeAwsRequest = {
        service: isCloudWatch ? 'monitoring' : params.Action ? 'ec2' : 'unknown',
        action,
        region: null,
        params,
        json: null,
        status: 200,
        requestId,
      };
      const reply = (status: number, contentType: string, text: string, extra: Record<string, string> = {}) => {
        log.status = status;
        requests.push(log);
        if (requests.length > MAX_LOGGED_REQUESTS) requests.splice(0, requests.length - MAX_LOGGED_REQUESTS);
        res.writeHead(status, { 'content-type': contentType, 'x-amzn-requestid': requestId, ...extra }).end(text);
      };
      const fail = (fault: AwsFault) => {
        if (isCloudWatch) {
          reply(
            fault.status,
            'application/x-amz-json-1.0',
            JSON.stringify({ __type: `com.amazonaws.cloudwatch#${fault.code}`, message: fault.message }),
            {
              'x-amzn-query-error': `${fault.code};Sender`,
            },
          );
        } else {
          reply(
            fault.status,
            'text/xml;charset=UTF-8',
            `<?xml version="1.0" encoding="UTF-8"?>\n<Response><Errors><Error><Code>${fault.code}</Code><Message>${escapeXml(fault.message)}</Message></Error></Errors><RequestID>${requestId}</RequestID></Response>`,
          );
        }
      };
      try {
        if (size > MAX_BODY_BYTES) throw new AwsFault(413, 'RequestEntityTooLarge', 'request body too large');
        if (req.method !== 'POST') throw new AwsFault(400, 'InvalidAction', `${req.method} is not supported`);
        const { region, service } = authenticate(req.method, req.url ?? '/', req.headers, body);
        log.region = region;
        if (!region) throw new AwsFault(400, 'AuthFailure', 'credential scope has no region');
        const failure = failures.find((f) => f.left > 0 && f.action === action);
        if (failure) {
          failure.left--;
          throw new AwsFault(failure.status, failure.code, failure.message ?? `${failure.code} (injected)`);
        }
        if (isCloudWatch) {
          if (service !== 'monitoring')
            throw new AwsFault(403, 'SignatureDoesNotMatch', `signed for ${service}, not monitoring`);
          if (req.headers['content-type'] !== 'application/x-amz-json-1.0') {
            throw new AwsFault(400, 'InvalidParameterValue', 'expected application/x-amz-json-1.0');
          }
          json = JSON.parse(body || '{}');
          log.json = json;
          if (target !== 'GraniteServiceVersion20100801.GetMetricData')
            throw new AwsFault(400, 'InvalidAction', `${target} is not simulated`);
          reply(200, 'application/x-amz-json-1.0', JSON.stringify(getMetricData(region, json)));
          return;
        }
        if (service !== 'ec2') throw new AwsFault(403, 'SignatureDoesNotMatch', `signed for ${service}, not ec2`);
        if (params.Version !== '2016-11-15')
          throw new AwsFault(400, 'InvalidParameterValue', `Version ${params.Version} is not 2016-11-15`);
        let inner: string;
        if (action === 'DescribeInstances') inner = describeInstances(region, params);
        else if (action === 'DescribeVolumes') inner = describeVolumes(region, params);
        else throw new AwsFault(400, 'InvalidAction', `The action ${action} is not valid for this web service.`);
        reply(
          200,
          'text/xml;charset=UTF-8',
          `<?xml version="1.0" encoding="UTF-8"?>\n<${action}Response xmlns="${EC2_NS}"><requestId>${requestId}</requestId>${inner}</${action}Response>`,
        );
      } catch (error) {
        fail(
          error instanceof AwsFault
            ? error
            : new AwsFault(500, 'InternalError', error instanceof Error ? error.message : String(error)),
        );
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    failNext: (failure) => failures.push({ ...failure, left: failure.times ?? 1 }),
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
