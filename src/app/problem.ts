// RFC 9457 problem details, as Camunda's REST API answers errors: {type, title, status, detail, instance} plus
// `errors` (each naming the field and the reason, zh-CN) and the request id that is on every log line.
import type { FieldIssue } from '../domain/errors.ts';

export interface ProblemDetails {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance: string;
  requestId: string;
  errors?: FieldIssue[];
}

const TITLES: Record<number, string> = {
  400: '请求无效',
  401: '未登录或会话已失效',
  403: '无权执行此操作',
  404: '资源不存在',
  409: '状态冲突',
  413: '内容过大',
  415: '不支持的内容类型',
  422: '不予受理',
  429: '请求过于频繁',
  500: '服务器内部错误',
  503: '服务暂不可用',
};

export class ProblemError extends Error {
  constructor(
    readonly status: number,
    readonly kind: string,
    readonly detail: string,
    readonly errors?: FieldIssue[],
    readonly headers: Record<string, string> = {},
  ) {
    super(detail);
    this.name = 'ProblemError';
  }
}

export const problem = {
  validation: (detail: string, errors: FieldIssue[]) =>
    new ProblemError(400, 'validation-error', detail, errors),
  unauthenticated: (detail = '请先登录') => new ProblemError(401, 'unauthenticated', detail),
  forbidden: (detail: string) => new ProblemError(403, 'forbidden', detail),
  notFound: (detail: string) => new ProblemError(404, 'not-found', detail),
  conflict: (detail: string, errors?: FieldIssue[]) => new ProblemError(409, 'conflict', detail, errors),
  tooLarge: (detail: string, field?: string) =>
    new ProblemError(413, 'too-large', detail, field ? [{ field, reason: detail }] : undefined),
  unsupportedMedia: (detail: string, errors?: FieldIssue[]) =>
    new ProblemError(415, 'unsupported-media-type', detail, errors),
  /** Refused by a rule of the measures (G-3, G-9, G-5/G-6 mixed categories …), with the rule's own reason. */
  refused: (detail: string, errors: FieldIssue[]) => new ProblemError(422, 'refused', detail, errors),
  tooManyRequests: (detail: string, retryAfterSeconds: number) =>
    new ProblemError(429, 'too-many-requests', detail, undefined, {
      'retry-after': String(retryAfterSeconds),
    }),
};

export function problemBody(
  status: number,
  kind: string,
  detail: string,
  instance: string,
  requestId: string,
  errors?: FieldIssue[],
): ProblemDetails {
  return {
    type: `/problems/${kind}`,
    title: TITLES[status] ?? '错误',
    status,
    detail,
    instance,
    requestId,
    ...(errors && errors.length > 0 ? { errors } : {}),
  };
}

export const problemSchema = {
  $id: 'Problem',
  type: 'object',
  description: 'RFC 9457 problem details',
  properties: {
    type: { type: 'string' },
    title: { type: 'string' },
    status: { type: 'integer' },
    detail: { type: 'string' },
    instance: { type: 'string' },
    requestId: { type: 'string' },
    errors: {
      type: 'array',
      items: {
        type: 'object',
        properties: { field: { type: 'string' }, reason: { type: 'string' } },
      },
    },
  },
} as const;
