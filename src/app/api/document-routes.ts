import type { Multipart, MultipartFile } from '@fastify/multipart';
import type { FastifyRequest } from 'fastify';
import {
  DOCUMENT_KINDS,
  documentTypeIssue,
  FileTooLargeError,
  findDocument,
  ISSUED_DOCUMENT_KINDS,
  listDocuments,
  type ReceivedFile,
} from '../../store/documents.ts';
import { findProject } from '../../store/projects.ts';
import { decide } from '../authz.ts';
import { keepDocument, publicMeta } from '../commands/documents.ts';
import { projectTarget } from '../commands/task-access.ts';
import { problem } from '../problem.ts';
import { type ApiApp, type ApiContext, actorOf, ensure, principalOf, visibleProject } from './context.ts';
import { documentSchema, idParam, keysOf, problemResponses } from './schemas.ts';

/** RFC 6266 Content-Disposition with an ASCII fallback and the UTF-8 name (Chinese file names). */
function contentDisposition(fileName: string): string {
  const ascii = fileName.replace(/[^\x20-\x7e]|["\\]/g, '_');
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(fileName)}`;
}

/** Streams the file part to a temporary file within the size limit (413 naming `file` beyond it). */
async function receiveFile(ctx: ApiContext, part: MultipartFile): Promise<ReceivedFile> {
  const tooLarge = () =>
    problem.tooLarge(`文件超过大小上限 ${Math.floor(ctx.maxDocumentBytes / 1024 / 1024)} MB`, 'file');
  let received: ReceivedFile;
  try {
    received = await ctx.documents.receive(part.file, ctx.maxDocumentBytes);
  } catch (e) {
    if (e instanceof FileTooLargeError || (e as { code?: string }).code === 'FST_REQ_FILE_TOO_LARGE') {
      throw tooLarge();
    }
    throw e;
  }
  if (part.file.truncated) {
    await ctx.documents.discard(received.tempPath);
    throw tooLarge();
  }
  return received;
}

export function registerDocumentRoutes(app: ApiApp, ctx: ApiContext): void {
  postProjectsProjectIdDocuments(app, ctx);
  getProjectsProjectIdDocuments(app, ctx);
  getDocumentsDocumentId(app, ctx);
}

function postProjectsProjectIdDocuments(app: ApiApp, ctx: ApiContext): void {
  app.post(
    '/projects/:projectId/documents',
    {
      schema: {
        tags: ['documents'],
        summary: '上传项目材料（multipart/form-data，字段 file）',
        consumes: ['multipart/form-data'],
        params: idParam('projectId'),
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: { kind: { type: 'string', enum: keysOf(DOCUMENT_KINDS), default: 'other' } },
        },
        response: { 201: documentSchema, ...problemResponses },
      },
    },
    async (request, reply) => {
      const { projectId } = request.params;
      const { kind } = request.query;
      const { p, project } = await visibleProject(ctx, request, projectId);
      ensure(decide(p, 'document.upload', { ...(await projectTarget(ctx, p, project)), documentKind: kind }));
      // PRO-3: the 立项审批意见 and the 备案回执 are issued by process steps, never uploaded under their kinds
      if (ISSUED_DOCUMENT_KINDS.includes(kind)) {
        const reason = `${DOCUMENT_KINDS[kind]}由${kind === 'approval-opinion' ? '出具立项审批意见' : '登记备案'}的流程步骤生成，不能上传`;
        throw problem.validation(reason, [{ field: 'kind', reason }]);
      }
      if (!request.isMultipart()) {
        throw problem.unsupportedMedia('请以 multipart/form-data 上传，文件字段名为 file', [
          { field: 'file', reason: '缺少文件' },
        ]);
      }
      const { parts, part } = await firstPart(request);
      if (part?.fieldname !== 'file') {
        throw problem.validation('缺少文件', [{ field: 'file', reason: '必填：以字段 file 上传一个文件' }]);
      }
      const fileName = part.filename
        .normalize('NFC')
        .replace(/[/\\\0]/g, '_')
        .slice(0, 200);
      const received = await receiveFile(ctx, part);
      await refuseMoreFiles(parts, () => ctx.documents.discard(received.tempPath));
      const typeIssue =
        received.size === 0 ? '文件为空' : documentTypeIssue(fileName, part.mimetype, received.head);
      if (typeIssue) {
        await ctx.documents.discard(received.tempPath);
        throw problem.unsupportedMedia(typeIssue, [{ field: 'file', reason: typeIssue }]);
      }
      const meta = await keepDocument(ctx, actorOf(request), {
        project,
        kind,
        fileName,
        mediaType: part.mimetype,
        received,
      });
      reply.code(201).header('location', `/api/documents/${meta.id}`);
      return publicMeta(meta);
    },
  );
}

function getProjectsProjectIdDocuments(app: ApiApp, ctx: ApiContext): void {
  app.get(
    '/projects/:projectId/documents',
    {
      schema: {
        tags: ['documents'],
        summary: '项目材料列表（kind：只列该类材料；市财政局须指定 approval-opinion）',
        params: idParam('projectId'),
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: { kind: { type: 'string', enum: keysOf(DOCUMENT_KINDS) } },
        },
        response: { 200: { type: 'array', items: documentSchema }, ...problemResponses },
      },
    },
    async (request) => {
      const { projectId } = request.params;
      const { kind } = request.query;
      const { p, project } = await visibleProject(ctx, request, projectId);
      const target = await projectTarget(ctx, p, project);
      ensure(decide(p, 'document.read', { ...target, documentKind: kind ?? null }));
      const all = await listDocuments(ctx.store.db, p.tenantId, projectId);
      return (kind ? all.filter((d) => d.kind === kind) : all).map(publicMeta);
    },
  );
}

function getDocumentsDocumentId(app: ApiApp, ctx: ApiContext): void {
  app.get(
    '/documents/:documentId',
    {
      schema: {
        tags: ['documents'],
        summary: '下载项目材料',
        params: idParam('documentId'),
        produces: ['application/octet-stream'],
        response: { 200: { type: 'string', format: 'binary' }, ...problemResponses },
      },
    },
    async (request, reply) => {
      const p = principalOf(request);
      const { documentId } = request.params;
      const doc = await findDocument(ctx.store.db, p.tenantId, documentId);
      if (!doc) throw problem.notFound(`材料 ${documentId} 不存在或无权查看`);
      const project = await findProject(ctx.store.db, p.tenantId, doc.projectId);
      // PUB-2: a reviewer reads the documents of the project it holds an open task on (task-access.ts)
      const target = project
        ? await projectTarget(ctx, p, project)
        : { tenantId: p.tenantId, unitId: doc.unitId };
      ensure(decide(p, 'document.read', { ...target, documentKind: doc.kind }));
      reply
        .header('content-type', doc.mediaType)
        .header('content-length', String(doc.size))
        .header('content-disposition', contentDisposition(doc.fileName))
        .header('x-content-type-options', 'nosniff')
        .header('x-content-sha256', doc.sha256)
        .header('cache-control', 'private, no-store');
      return reply.send(ctx.documents.open(doc.storagePath));
    },
  );
}

async function firstPart(request: FastifyRequest) {
  const parts = request.parts();
  const first = await parts.next();
  return { parts, part: first.done || first.value.type !== 'file' ? undefined : first.value };
}

/** One upload, one file: a second file is refused, not silently dropped; the first one is discarded then. */
async function refuseMoreFiles(parts: AsyncIterable<Multipart>, discard: () => Promise<void>): Promise<void> {
  try {
    for await (const extra of parts) {
      if (extra.type === 'file')
        throw problem.validation('一次只能上传一个文件', [{ field: 'file', reason: '一次只能上传一个文件' }]);
    }
  } catch (e) {
    await discard();
    throw e;
  }
}
