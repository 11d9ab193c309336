// createApp(services): the HTTP application (never listens). Route table first, handlers in their own files.
import express, { type Express } from 'express';
import { databaseAnswers } from '../db';
import type { Services } from '../services';
import { apiRouter } from './api';
import { errorMiddleware } from './error-middleware';

export interface AppOptions {
  log: (msg: string, err?: unknown) => void;
}

export function createApp(services: Services, opts: AppOptions): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', false);

  app.get('/healthz', async (_req, res) => {
    const ok = await databaseAnswers(services.orm);
    res.status(ok ? 200 : 503).json({ status: ok ? 'ok' : 'unavailable', database: ok ? 'ok' : 'unreachable' });
  });
  app.use('/api/v1', apiRouter(services, opts));

  app.use((_req, res) => {
    res.status(404).json({ error: 'not_found', message: 'no such page' });
  });
  app.use(errorMiddleware(opts.log));
  return app;
}
