/**
 * `npm run bench`: the PingFederate provider against the in-process admin API simulator with injected latency.
 * For each provider operation it prints the admin API calls made against the minimum the operation needs, says
 * what the extra calls are for, and the median time against a bare axios request to the same simulator.
 * It prints figures and asserts nothing.
 */
import axios from "axios";
import type { PfOAuthClientOutputs } from "../idps/pingfederate/inputs";
import { pingFederateClientProvider as client, pingFederateScopeProvider as scope } from "../idps/pingfederate/provider";
import { coderClientInputs, type PfAdminSim, startPfAdminSim } from "../e2e/support/pf-admin-sim";

const LATENCY_MS = Number(process.env.BENCH_LATENCY_MS ?? 20);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 7);

interface Row {
  readonly operation: string;
  readonly minimum: number;
  readonly calls: number;
  readonly extra: string;
  readonly medianMs: number;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

async function measure(sim: PfAdminSim, run: (round: number) => Promise<unknown>): Promise<{ calls: number; ms: number }> {
  const times: number[] = [];
  const calls: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    const before = sim.requests.length;
    const started = performance.now();
    await run(round);
    times.push(performance.now() - started);
    calls.push(sim.requests.length - before);
  }
  return { calls: Math.max(...calls), ms: median(times) };
}

async function main(): Promise<void> {
  const sim = await startPfAdminSim({
    latencyMs: LATENCY_MS,
    commonScopes: [{ name: "profile", description: "Profile" }, { name: "email", description: "Email" }],
  });
  process.env.PINGFEDERATE_ADMIN_USERNAME = sim.username;
  process.env.PINGFEDERATE_ADMIN_PASSWORD = sim.password;
  const rows: Row[] = [];
  const add = (operation: string, minimum: number, extra: string, result: { calls: number; ms: number }) =>
    rows.push({ operation, minimum, calls: result.calls, extra, medianMs: result.ms });
  try {
    const bare = await measure(sim, () => axios.get(`${sim.url}/oauth/clients/nobody`, {
      auth: { username: sim.username, password: sim.password },
      headers: { "X-XSRF-Header": "PingFederate" },
      validateStatus: () => true,
    }));

    // The scope: the first run creates it, later runs adopt it.
    const scopeInputs = (await scope.check!({} as never, { adminUrl: sim.url, name: "offline_access", description: "Offline access" } as never)).inputs!;
    sim.clearLog();
    const firstScope = Date.now();
    await scope.create(scopeInputs);
    add("scope create (missing)", 1, "+1 GET scope (adopt if present), +1 GET /cluster/status", { calls: sim.requests.length, ms: Date.now() - firstScope });
    add("scope create (present)", 1, "the GET is the whole job: adopted, nothing written", await measure(sim, () => scope.create(scopeInputs)));
    add("scope delete", 0, "none: left in place on purpose", await measure(sim, () => scope.delete!("offline_access", scopeInputs as never)));

    const inputs = (round: number, prefix: string) => coderClientInputs(sim.url, { clientId: `${prefix}-${round}`, secretVersion: "1" });
    const created = new Map<string, PfOAuthClientOutputs>();

    sim.clearLog();
    const firstCreate = Date.now();
    await client.create(inputs(0, "first"));
    add("client create (first in process)", 1, "+1 GET /version (12.1 gating, once per process), +1 GET client (never overwrite), +1 GET /cluster/status",
      { calls: sim.requests.length, ms: Date.now() - firstCreate });

    add("client create", 1, "+1 GET client (never overwrite: duplicate-POST status is unconfirmed), +1 GET /cluster/status",
      await measure(sim, async (round) => created.set(`c-${round}`, (await client.create(inputs(round, "c"))).outs!)));
    sim.settings.clustered = true;
    add("client create (cluster, replication due)", 2, "+1 GET client, +1 GET /cluster/status; the minimum counts POST /cluster/replicate",
      await measure(sim, async (round) => created.set(`r-${round}`, (await client.create(inputs(round, "r"))).outs!)));
    sim.settings.clustered = false;

    add("client read", 1, "none", await measure(sim, (round) => client.read!(`c-${round}`, created.get(`c-${round}`))));
    add("client diff", 0, "none: diff works on state alone", await measure(sim, (round) =>
      client.diff!(`c-${round}`, created.get(`c-${round}`)!, inputs(round, "c"))));
    add("client update (managed field)", 2, "+1 GET /cluster/status", await measure(sim, async (round) => {
      const olds = created.get(`c-${round}`)!;
      created.set(`c-${round}`, (await client.update!(`c-${round}`, olds, { ...inputs(round, "c"), name: `Coder ${round}` })).outs!);
    }));
    add("client update (rotate secret only)", 2, "+1 GET /cluster/status (GET client + PUT clientSecret is the minimum)", await measure(sim, async (round) => {
      const olds = created.get(`c-${round}`)!;
      created.set(`c-${round}`, (await client.update!(`c-${round}`, olds, { ...inputs(round, "c"), name: `Coder ${round}`, secretVersion: "2" })).outs!);
    }));
    add("client update (no managed change)", 1, "+1 GET /cluster/status (catches up a replication that failed earlier); no PUT", await measure(sim, async (round) => {
      const olds = created.get(`c-${round}`)!;
      await client.update!(`c-${round}`, olds, { ...inputs(round, "c"), name: `Coder ${round}`, secretVersion: "2", secretOverlap: 60 });
    }));
    add("client delete", 1, "+1 GET /cluster/status", await measure(sim, (round) => client.delete!(`c-${round}`, created.get(`c-${round}`)!)));

    const width = { operation: Math.max(...rows.map((r) => r.operation.length), 9) };
    const header = `${"operation".padEnd(width.operation)}  calls  min  extra  median ms  × bare axios  extra calls`;
    console.log(`PingFederate admin API simulator, ${LATENCY_MS} ms latency per request, median of ${ROUNDS} rounds`);
    console.log(`bare axios GET to the same simulator: median ${bare.ms.toFixed(1)} ms\n`);
    console.log(header);
    console.log("-".repeat(header.length + 40));
    for (const row of rows) {
      console.log([
        row.operation.padEnd(width.operation),
        String(row.calls).padStart(5),
        String(row.minimum).padStart(4),
        String(row.calls - row.minimum).padStart(6),
        row.medianMs.toFixed(1).padStart(10),
        (row.medianMs / bare.ms).toFixed(1).padStart(12),
        ` ${row.extra}`,
      ].join(" "));
    }
  } finally {
    await sim.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
