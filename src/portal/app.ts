// createApp(services): the HTTP application (never listens). Route table in routes.ts, handlers in modules/.
import express, { type Express } from 'express';
import { NotFoundError } from '../domain/errors';
import { answerHealthz } from '../servers/healthz';
import type { Services } from '../services';
import type { DeviceService } from '../services/device-service';
import { standaloneDeviceService } from '../services/device-setup';
import { apiRouter } from './api';
import type { Portal, PortalHooks, ProvisioningInfo } from './context';
import { errorMiddleware } from './error-middleware';
import { htmlErrorPage } from './error-pages';
import { securityHeaders } from './http';
import { LoginThrottle, type ThrottleOptions } from './login-throttle';
import { unreadVoicemailHook } from './modules/voicemail';
import { portalRouter } from './portal-router';
import { ROUTES } from './routes';
import { vendorStatic } from './vendor-static';
import { TEMPLATE_ROOT, Views } from './views';

export interface AppOptions {
  log: (msg: string, err?: unknown) => void;
  /** The URL people and phones use; https turns on Secure cookies. Default http://127.0.0.1. */
  publicUrl?: string;
  hooks?: PortalHooks;
  throttle?: Partial<ThrottleOptions>;
  /** The provisioning server's DeviceService (same firmware profiles and warnings); built on first use when absent. */
  devices?: DeviceService;
  /** How phones reach provisioning (TFTP port, or null when off); default: TFTP on port 69. */
  provisioning?: ProvisioningInfo;
}

export function createApp(services: Services, opts: AppOptions): Express {
  const app = express();
  app.disable('x-powered-by');
  // Pages are no-store and API answers are read once: a SHA-1 of every 70 KB body bought nothing. Static files keep
  // their own ETags (express.static).
  app.set('etag', false);
  app.set('trust proxy', false);
  const publicUrl = opts.publicUrl ?? 'http://127.0.0.1';
  let devices = opts.devices;
  const portal: Portal = {
    services,
    views: new Views(),
    secure: publicUrl.startsWith('https:'),
    publicUrl,
    hooks: { unreadVoicemail: unreadVoicemailHook(services.voicemail), ...opts.hooks },
    throttle: new LoginThrottle(opts.throttle),
    devices: () => {
      devices ??= standaloneDeviceService(services.orm, publicUrl);
      return devices;
    },
    provisioning: opts.provisioning ?? { tftpPort: 69 },
  };

  app.use(securityHeaders);
  app.get('/healthz', (_req, res) => answerHealthz(services.orm, res));
  app.use('/api/v1', apiRouter(services, opts));

  app.use(
    '/static',
    express.static(`${TEMPLATE_ROOT}static`, { index: false, dotfiles: 'ignore', fallthrough: true, maxAge: '1h' }),
  );
  app.use(vendorStatic());
  app.use(portalRouter(portal, ROUTES));

  app.use((req, _res, next) => {
    next(new NotFoundError(`no page ${req.path.slice(0, 100)}`));
  });
  app.use(errorMiddleware(opts.log, htmlErrorPage(portal)));
  return app;
}
