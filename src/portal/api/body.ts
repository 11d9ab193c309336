// Request bodies: JSON only (415 otherwise), bounded in size (413), and an object of fields (422 otherwise).
import express, { type NextFunction, type Request, type Response } from 'express';
import { ValidationError } from '../../domain/errors';
import { sendError } from './errors';

/** Largest body accepted: a phone with 200 line keys is ~15 kB; anything near this limit is not a real object. */
export const DEFAULT_BODY_LIMIT = 64 * 1024;

/** POST/PATCH must say application/json; the parser then reads at most `limit` bytes. */
export function jsonBody(limit: number) {
  const parse = express.json({ limit, strict: true, type: () => true });
  return (req: Request, res: Response, next: NextFunction): void => {
    if (!req.is('application/json')) {
      sendError(res, 415, 'unsupported_media_type', 'send the body as Content-Type: application/json');
      return;
    }
    parse(req, res, next);
  };
}

/** The parsed body as an object of field values; arrays, strings and null are refused with the body's own field. */
export function bodyObject(req: Request): Record<string, unknown> {
  const body: unknown = req.body;
  if (!body || typeof body !== 'object' || Array.isArray(body))
    throw new ValidationError({ body: 'must be a JSON object of field values' });
  return body as Record<string, unknown>;
}
