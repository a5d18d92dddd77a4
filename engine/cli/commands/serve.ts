import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { checkListenRequest, DEFAULT_PORT, type ListenRequest } from '../../server/listen-options.js';
import { buildServer } from '../../server/server.js';
import { EXIT, UsageError, type CliIo } from '../io.js';
import { openStateStore, STATE_OPTION } from '../state-dir.js';

interface ServeOptions extends ListenRequest {
  state?: string;
}

/**
 * `drplan serve`: the HTTP API and the approver web page (SPEC §3, §5). Loopback by default;
 * any other address needs TLS and a bearer token, or it refuses to start (exit 2). Prints its
 * address on the first line, then serves until interrupted.
 */
export function registerServe(program: Command, io: CliIo, setExit: (code: number) => void): void {
  program
    .command('serve')
    .description('serve the HTTP API and the approver web page (127.0.0.1 unless TLS and a token are given)')
    .option('--host <address>', 'address to listen on; anything but loopback needs --tls-cert, --tls-key and --auth-token-file', '127.0.0.1')
    .option('--port <n>', 'port to listen on (0: any free port, printed on the first line)', String(DEFAULT_PORT))
    .option('--tls-cert <file>', 'serve https with this PEM certificate (chain)')
    .option('--tls-key <file>', 'the PEM private key of --tls-cert')
    .option('--auth-token-file <file>', 'require the token in this file on every request (Authorization: Bearer, or the password of HTTP Basic in a browser)')
    .option(...STATE_OPTION)
    .action(async (options: ServeOptions) => setExit(await serve(io, options)));
}

async function serve(io: CliIo, options: ServeOptions): Promise<number> {
  const checked = checkListenRequest(options, (p) => resolve(io.cwd, p));
  if (!checked.ok) throw new UsageError(checked.message, checked.hint);
  const { setup } = checked;
  for (const warning of setup.warnings) io.stderr(`drplan: warning: ${warning}\n`);
  const store = openStateStore(io, options.state);
  const app = buildServer({ store, io, loopback: setup.loopback, authToken: setup.authToken, tls: setup.tls });
  try {
    await app.listen({ host: setup.host, port: setup.port });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    io.stderr(`drplan: cannot listen on ${setup.host}:${setup.port}: ${code === 'EADDRINUSE' ? 'the port is in use (another drplan serve?); pick another with --port' : code === 'EADDRNOTAVAIL' ? 'this machine has no such address' : (error as Error).message}\n`);
    await app.close();
    return EXIT.failed;
  }
  const address = app.server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  const url = `${setup.tls ? 'https' : 'http'}://${host}:${address.port}/`;
  io.stdout(`drplan serve: ${url} · runs in ${store.dir}${setup.authToken ? ' · token required' : ''}\n`);
  if (!io.onInterrupt) {
    // In-process (tests): nothing would ever stop it. Tests that need a live server use buildServer.
    await app.close();
    return EXIT.ok;
  }
  await new Promise<void>((done) => {
    const stop = io.onInterrupt!(() => {
      stop();
      done();
    });
  });
  io.stderr('drplan serve: stopping\n');
  await app.close();
  return EXIT.ok;
}
