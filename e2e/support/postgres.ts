/**
 * A PostgreSQL server for the e2e (Coder's database): Debian's binaries, a cluster made by `initdb` in the run's
 * temporary directory, started on a free port on 127.0.0.1 with its socket in that directory, as the `postgres`
 * user when the e2e runs as root (PostgreSQL refuses to run as root), stopped with its process group.
 */
import { execFileSync } from "node:child_process";
import { chmodSync, chownSync, existsSync, mkdirSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { freePort, startService, waitUntilReady, type ServiceProcess } from "./services";

/** A running PostgreSQL. */
export interface PostgresServer {
  /** A connection URL for the database made for the run. */
  readonly url: string;
  /** Its process. */
  readonly process: ServiceProcess;
  /** Runs SQL in the run's database as its owner; returns psql's unaligned, tuples-only output. */
  query(sql: string): string;
  /** Stops it. */
  stop(): Promise<void>;
}

/** Debian's PostgreSQL binaries (the newest installed major version). */
export function postgresBinDir(): string {
  const root = "/usr/lib/postgresql";
  const versions = existsSync(root) ? readdirSync(root).filter((v) => existsSync(join(root, v, "bin/initdb"))) : [];
  if (versions.length === 0) throw new Error("PostgreSQL is not installed: apt-get install -y postgresql (.ci/run does it)");
  return join(root, versions.sort((a, b) => Number(b) - Number(a))[0], "bin");
}

/** Starts a new cluster under `dir` with database `database`, owned by `user`. */
export async function startPostgres(dir: string, database: string, user = "coder"): Promise<PostgresServer> {
  const bin = postgresBinDir();
  const asRoot = process.getuid?.() === 0;
  const data = join(dir, "pgdata");
  mkdirSync(data, { recursive: true });
  if (asRoot) {
    const uid = Number(execFileSync("id", ["-u", "postgres"], { encoding: "utf8" }).trim());
    const gid = Number(execFileSync("id", ["-g", "postgres"], { encoding: "utf8" }).trim());
    chownSync(dir, uid, gid);
    chownSync(data, uid, gid);
    // The postgres user must be able to reach its directory through the run's temporary directories.
    // Only directories of the run's own (TMPDIR, set by e2e/run.ts), never the system's /tmp.
    const runRoot = tmpdir();
    for (let d = dirname(dir); d !== "/tmp" && (d === runRoot || d.startsWith(`${runRoot}/`)); d = dirname(d)) chmodSync(d, 0o711);
  }
  const as = (command: string, args: string[]): [string, string[]] => asRoot ? ["runuser", ["-u", "postgres", "--", command, ...args]] : [command, args];
  const [initCmd, initArgs] = as(join(bin, "initdb"), ["-D", data, "-U", user, "-A", "trust", "--no-sync", "-E", "UTF8"]);
  execFileSync(initCmd, initArgs, { stdio: "pipe" });
  const port = await freePort();
  const [cmd, args] = as(join(bin, "postgres"), ["-D", data, "-p", String(port), "-k", dir, "-c", "listen_addresses=127.0.0.1", "-c", "fsync=off"]);
  const service = startService("PostgreSQL", cmd, args, { logFile: join(dir, "postgres.log") });
  const psql = (db: string, sql: string) =>
    execFileSync(join(bin, "psql"), ["-h", "127.0.0.1", "-p", String(port), "-U", user, "-d", db, "-v", "ON_ERROR_STOP=1", "-At", "-c", sql], { encoding: "utf8" }).trim();
  try {
    await waitUntilReady(service, async () => {
      execFileSync(join(bin, "pg_isready"), ["-h", "127.0.0.1", "-p", String(port)], { stdio: "ignore" });
      return true;
    }, 60_000);
    psql("postgres", `CREATE DATABASE "${database}"`);
  } catch (err) {
    await service.stop();
    throw err;
  }
  return {
    url: `postgres://${user}@127.0.0.1:${port}/${database}?sslmode=disable`,
    process: service,
    query: (sql) => psql(database, sql),
    stop: () => service.stop(),
  };
}
