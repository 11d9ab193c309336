// Stored audio sent back to a browser (the Play button next to a greeting or track): only as audio, never sniffed
// into anything else, never rendered as a page, under a file name made safe for the header.
import type { Response } from 'express';

export interface StoredAudioFile {
  /** AudioUploads.storedPath(context, storedName) */
  path: string;
  format: 'wav' | 'mp3';
  /** The uploader's name, shown by the browser when saving. */
  originalName: string;
}

/** Sends the file (the caller has checked that the actor may hear it: another tenant's answers 404 before this). */
export function sendStoredAudio(res: Response, file: StoredAudioFile, next: (err?: unknown) => void): void {
  const ascii = file.originalName.replace(/[^A-Za-z0-9._ -]/g, '_').slice(0, 100) || `audio.${file.format}`;
  res.setHeader('Content-Type', file.format === 'mp3' ? 'audio/mpeg' : 'audio/wav');
  res.setHeader('X-Content-Type-Options', 'nosniff');
  // Opened directly, the URL is still never a document that could run script.
  res.setHeader('Content-Security-Policy', "default-src 'none'; sandbox");
  res.setHeader(
    'Content-Disposition',
    `inline; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(file.originalName)}`,
  );
  res.setHeader('Cache-Control', 'private, no-store');
  res.sendFile(file.path, { dotfiles: 'deny', headers: {} }, (err) => {
    if (err) next(err);
  });
}
