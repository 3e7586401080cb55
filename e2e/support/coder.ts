/**
 * A real Coder server for the e2e: the binary e2e/tools.ts builds from Coder's Go module, started with a dotenv
 * file of OIDC settings (as this project renders it) plus its access URL, database URL and a listen address on
 * 127.0.0.1, and the few settings that keep it from reaching out of the machine (telemetry, update checks,
 * provisioners that would download Terraform, STUN). Its log is kept: it is what `doctor` learns from.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parseEnv } from "node:util";
import { freePort, startService, waitUntilReady, type ServiceProcess } from "./services";

/** A running Coder. */
export interface CoderServer {
  /** Its access URL, `http://127.0.0.1:<port>`. */
  readonly url: string;
  /** Its process (the log file is Coder's server log). */
  readonly process: ServiceProcess;
  /** Stops it. */
  stop(): Promise<void>;
}

/** The settings that keep a test Coder on this machine; none of them is about OIDC. */
const OFFLINE_SETTINGS: Record<string, string> = {
  CODER_TELEMETRY_ENABLE: "false",
  CODER_UPDATE_CHECK: "false",
  CODER_PROVISIONER_DAEMONS: "0",
  CODER_DERP_SERVER_STUN_ADDRESSES: "disable",
  CODER_BLOCK_DIRECT: "true",
  CODER_VERBOSE: "true",
  CODER_LOGGING_HUMAN: "/dev/null",
  CODER_LOGGING_JSON: "/dev/stderr",
};

/** Starts Coder with the OIDC settings of `dotenvFile`; resolves when `/healthz` answers. */
export async function startCoder(binary: string, dir: string, options: {
  readonly dotenvFile: string;
  readonly databaseUrl: string;
  readonly port?: number;
  readonly logName?: string;
}): Promise<CoderServer> {
  const port = options.port ?? await freePort();
  const url = `http://127.0.0.1:${port}`;
  const oidc = parseEnv(readFileSync(options.dotenvFile, "utf8"));
  const service = startService("Coder", binary, ["server"], {
    cwd: dir,
    logFile: join(dir, options.logName ?? "coder.log"),
    env: {
      PATH: process.env.PATH,
      HOME: dir,
      ...OFFLINE_SETTINGS,
      CODER_CACHE_DIRECTORY: join(dir, "cache"),
      CODER_CONFIG_DIR: join(dir, "config"),
      ...oidc,
      CODER_ACCESS_URL: url,
      CODER_HTTP_ADDRESS: `127.0.0.1:${port}`,
      CODER_PG_CONNECTION_URL: options.databaseUrl,
    },
  });
  try {
    await waitUntilReady(service, async () => (await fetch(`${url}/healthz`)).ok, 180_000);
  } catch (err) {
    await service.stop();
    throw err;
  }
  return { url, process: service, stop: () => service.stop() };
}
