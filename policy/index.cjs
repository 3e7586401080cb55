// The entry the Pulumi CLI loads (package.json "main"). Its run-policy-pack registers a vendored ts-node
// 7 for .ts files; tsx (a dependency of this project) compiles the pack instead, as `npm test` and the
// CLI commands do.
require("tsx/cjs");
require("./index.ts");
