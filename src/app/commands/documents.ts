// Keep an uploaded project document (SV-3: the materials a project produced): the file already received and checked
// by the route is moved into the document storage and recorded, with its audit entry, in one store transaction; a
// failure discards the file so nothing half-kept is left behind.
import { randomUUID } from 'node:crypto';
import {
  type DocumentKind,
  type DocumentStorage,
  insertDocument,
  type ReceivedFile,
} from '../../store/documents.ts';
import type { Project } from '../../store/projects.ts';
import { type Actor, audit, type CommandContext } from './context.ts';

export interface KeepDocumentInput {
  project: Project;
  kind: DocumentKind;
  fileName: string;
  mediaType: string;
  received: ReceivedFile;
}

/** The document's record as people see it: without where it is stored and whose tenant it is. */
export function publicMeta<T extends { storagePath: string; tenantId: string }>(d: T) {
  const { storagePath: _p, tenantId: _t, ...rest } = d;
  return rest;
}

export async function keepDocument(
  ctx: CommandContext & { documents: DocumentStorage },
  actor: Actor,
  input: KeepDocumentInput,
) {
  const p = actor.principal;
  const id = randomUUID();
  const { received, project } = input;
  let kept: string | null = null;
  try {
    return await ctx.store.transaction(async (tx) => {
      kept = await ctx.documents.keep(received.tempPath, p.tenantId, id);
      const meta = {
        id,
        tenantId: p.tenantId,
        projectId: project.id,
        unitId: project.unitId,
        kind: input.kind,
        fileName: input.fileName,
        mediaType: input.mediaType,
        size: received.size,
        sha256: received.sha256,
        storagePath: kept,
        uploadedBy: p.accountId,
        uploadedAt: ctx.now().toISOString(),
      };
      await insertDocument(tx, meta);
      await audit(tx, ctx, actor, {
        action: 'document.upload',
        entityType: 'document',
        entityId: id,
        projectId: project.id,
        payload: publicMeta(meta),
      });
      return meta;
    });
  } catch (e) {
    await ctx.documents.discard(kept ?? received.tempPath);
    throw e;
  }
}
