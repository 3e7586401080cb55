#!/usr/bin/env node
// The `coder-oidc` command: registers tsx (a pinned dependency) so the TypeScript sources run as they are,
// then hands over to cli/main.ts.
"use strict";
require("tsx/cjs");
const { runMain } = require("../cli/main.ts");
const { runAsProcess } = require("../cli/command.ts");
runAsProcess("coder-oidc", runMain, process.argv.slice(2));
