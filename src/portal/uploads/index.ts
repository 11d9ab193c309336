// The portal's audio upload handling: an Express middleware that leaves one received file for the module's handler
// (which passes it to services.audio.store), and the sender of stored audio for the pages' Play buttons.
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { type ReceivedUpload, receiveAudioUpload, UploadAbortedError, type UploadOptions } from './receive-upload';

export { type ReceivedUpload, receiveAudioUpload, UploadAbortedError, type UploadOptions } from './receive-upload';
export { sendStoredAudio } from './send-audio';

const KEY = 'dialtoneAudioUpload';

/**
 * Middleware: receives the form's one audio file (see receiveAudioUpload), then calls the next handler, which reads
 * it with uploadedAudio(res). The temporary file is removed once the response is done, whatever the handler did.
 * Errors go to the error middleware: 413 too large, 408 stalled, 422 field errors, 403 from beforeFile.
 */
export function audioUpload(opts: UploadOptions): RequestHandler {
  return (req: Request, res: Response, next: NextFunction) => {
    receiveAudioUpload(req, opts).then(
      (upload) => {
        const discard = () => void upload.discard().catch(() => {});
        res.once('finish', discard);
        res.once('close', discard);
        res.locals[KEY] = upload;
        next();
      },
      (err) => {
        if (err instanceof UploadAbortedError) return; // nobody to answer
        next(err);
      },
    );
  };
}

/** The upload audioUpload() received for this request. */
export function uploadedAudio(res: Response): ReceivedUpload {
  const upload = res.locals[KEY] as ReceivedUpload | undefined;
  if (!upload) throw new Error('uploadedAudio() used on a route without the audioUpload() middleware');
  return upload;
}
