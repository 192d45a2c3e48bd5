/** HTTP side of the tracker: /healthz, /metrics (Prometheus text) and the built client. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { existsSync } from 'node:fs';
import sirv from 'sirv';
import type { TrackerMetrics } from './metrics.js';

export function createRequestHandler(
  metrics: TrackerMetrics,
  staticDir: string | undefined,
): (req: IncomingMessage, res: ServerResponse) => void {
  const serveStatic =
    staticDir && existsSync(staticDir) ? sirv(staticDir, { single: true, etag: true }) : undefined;
  return (req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (path === '/healthz') {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ ok: true, uptime: Math.round(process.uptime()) }));
      return;
    }
    if (path === '/metrics') {
      metrics.registry
        .metrics()
        .then((text) => {
          res.writeHead(200, { 'content-type': metrics.registry.contentType });
          res.end(text);
        })
        .catch(() => {
          res.writeHead(500).end();
        });
      return;
    }
    if (serveStatic) {
      serveStatic(req, res, () => {
        res.writeHead(404).end('not found');
      });
      return;
    }
    res.writeHead(404, { 'content-type': 'text/plain' });
    res.end('This tracker serves no app (STATIC_DIR is not set or not built: run `npm start`).');
  };
}
