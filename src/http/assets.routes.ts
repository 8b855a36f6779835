import type { FastifyInstance } from 'fastify';
import { ADMIN_STYLE, ADMIN_STYLESHEET } from '../admin/admin.layout.js';
import { ERROR_FOCUS_JS, ERROR_FOCUS_SCRIPT, STYLE, STYLESHEET } from '../ui/layout.js';

/**
 * The pages' stylesheets and their one small script, as files of their own: the Content
 * Security Policy allows no inline style or script, so pages link to these.
 */
export function registerAssetRoutes(app: FastifyInstance): void {
  const asset = (path: string, type: string, body: string) =>
    app.get(path, { config: { access: 'public' } }, async (_request, reply) => reply.type(type).header('cache-control', 'public, max-age=3600').send(body));
  asset(STYLESHEET, 'text/css; charset=utf-8', STYLE);
  asset(ADMIN_STYLESHEET, 'text/css; charset=utf-8', ADMIN_STYLE);
  asset(ERROR_FOCUS_SCRIPT, 'text/javascript; charset=utf-8', ERROR_FOCUS_JS);
}
