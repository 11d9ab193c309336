// /api/v1/pbxs/{context}/voicemail…: the Voicemail page as JSON, through the same voicemail service (FreeSWITCH's
// own messages): mailboxes with counts, a folder's messages, one message, mark saved/new (PATCH), delete, the WAV.
import { type Request, type Response, Router } from 'express';
import { NotFoundError, UnavailableError, ValidationError } from '../../domain/errors';
import type { Services } from '../../services';
import { VOICEMAIL_FOLDERS, type VoicemailFolder, type VoicemailMessageView } from '../../services/voicemail';
import { sendVoicemailAudio } from '../modules/voicemail';
import { callerOf } from './auth';
import { bodyObject } from './body';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function present(m: VoicemailMessageView) {
  return {
    id: m.id,
    mailboxId: m.mailboxId,
    folder: m.folder,
    callerName: m.callerName,
    callerNumber: m.callerNumber,
    receivedAt: m.receivedAt.toISOString(),
    receivedLocal: `${m.receivedLocal.date}T${m.receivedLocal.time}`,
    heardAt: m.heardAt?.toISOString() ?? null,
    durationSeconds: m.durationSeconds,
  };
}

export function voicemailApiRouter(services: Services, body: import('express').RequestHandler): Router {
  const router = Router();
  const ctx = (req: Request, res: Response) => {
    const caller = callerOf(res);
    if (req.params.context !== caller.pbxContext) throw new NotFoundError('no such PBX');
    const vm = services.voicemail;
    if (!vm) throw new UnavailableError('voicemail is unavailable: no connection to FreeSWITCH is configured');
    return { vm, actor: caller.actor, pbxId: caller.actor.pbxId };
  };
  const box = (req: Request) => {
    const raw = String(req.params.mailbox ?? '');
    if (!/^\d{1,15}$/.test(raw)) throw new NotFoundError('no such mailbox');
    return Number(raw);
  };
  const msg = (req: Request) => {
    const raw = String(req.params.message ?? '');
    if (!UUID.test(raw)) throw new NotFoundError('no such message');
    return raw.toLowerCase();
  };
  const run =
    (f: (req: Request, res: Response) => Promise<void>) =>
    (req: Request, res: Response, next: (err?: unknown) => void) =>
      f(req, res).catch(next);

  const base = '/pbxs/:context/voicemail';
  router.get(
    base,
    run(async (req, res) => {
      const { vm, actor, pbxId } = ctx(req, res);
      res.json({ mailboxes: await vm.mailboxes(actor, pbxId) });
    }),
  );
  router.get(
    `${base}/:mailbox`,
    run(async (req, res) => {
      const { vm, actor, pbxId } = ctx(req, res);
      const folder = req.query.folder;
      if (folder !== undefined && !VOICEMAIL_FOLDERS.includes(folder as VoicemailFolder))
        throw new ValidationError({ folder: 'must be new or saved' });
      const list = await vm.messages(actor, pbxId, box(req), folder as VoicemailFolder | undefined);
      res.json({ messages: list.map(present) });
    }),
  );
  const one = `${base}/:mailbox/messages/:message`;
  router.get(
    one,
    run(async (req, res) => {
      const { vm, actor, pbxId } = ctx(req, res);
      res.json(present(await vm.message(actor, pbxId, box(req), msg(req))));
    }),
  );
  router.patch(
    one,
    body,
    run(async (req, res) => {
      const { vm, actor, pbxId } = ctx(req, res);
      const input = bodyObject(req);
      const keys = Object.keys(input);
      if (keys.some((k) => k !== 'folder') || !VOICEMAIL_FOLDERS.includes(input.folder as VoicemailFolder))
        throw new ValidationError({ folder: 'send {"folder": "saved"} or {"folder": "new"}' });
      const id = msg(req);
      if (input.folder === 'saved') await vm.markSaved(actor, pbxId, box(req), id);
      else await vm.markNew(actor, pbxId, box(req), id);
      res.json(present(await vm.message(actor, pbxId, box(req), id)));
    }),
  );
  router.delete(
    one,
    run(async (req, res) => {
      const { vm, actor, pbxId } = ctx(req, res);
      await vm.delete(actor, pbxId, box(req), msg(req));
      res.status(204).end();
    }),
  );
  router.get(
    `${one}/audio`,
    run(async (req, res) => {
      const { vm, actor, pbxId } = ctx(req, res);
      await sendVoicemailAudio(req, res, await vm.openAudio(actor, pbxId, box(req), msg(req)));
    }),
  );
  return router;
}
