// The image's HEALTHCHECK, the same for every app (one app runs per container): healthy when the
// api answers GET /health/ready on PORT (Postgres, Redis and the event store reachable), or the
// worker or projector answers GET /health/live on METRICS_PORT. Exit 0 healthy, 1 not.
const probes = [
  `http://127.0.0.1:${process.env.PORT || '3000'}/health/ready`,
  ...(process.env.METRICS_PORT ? [`http://127.0.0.1:${process.env.METRICS_PORT}/health/live`] : []),
];

async function healthy(url) {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(3_000) });
    return response.status === 200;
  } catch {
    return false;
  }
}

const results = await Promise.all(probes.map(healthy));
process.exit(results.includes(true) ? 0 : 1);
