#!/usr/bin/env node
// The `coder-oidc` command: runs the TypeScript sources as they are (no build step), then hands over to
// cli/main.ts, which loads a command's module (and the SDKs it needs) only when that command runs.
// What makes a start cheap (`npm run bench`, bench/cli-startup.ts):
// - Node's compile cache: the JavaScript of the SDKs is compiled once, not at each start (NODE_DISABLE_COMPILE_CACHE=1
//   turns it off);
// - tsx (a pinned dependency) compiles our TypeScript, and keeps what it compiled in its own cache;
// - the packages in node_modules are JavaScript and load through Node's own loader, not tsx's: tsx reads each
//   `.js` file to look for ESM syntax, which doubled the time to load @pulumi/pulumi. Node loads an ESM package
//   by `require` itself when it can (process.features.require_module, Node >= 22.12); before that, tsx does.
"use strict";
const Module = require("node:module");
Module.enableCompileCache?.();
const nodeLoadsJs = Module._extensions[".js"];
require("tsx/cjs");
const tsxLoadsJs = Module._extensions[".js"];
if (process.features.require_module && tsxLoadsJs !== nodeLoadsJs) {
  Module._extensions[".js"] = function loadJs(module, filename) {
    const inNodeModules = filename.split(/[\\/]/).includes("node_modules");
    return (inNodeModules ? nodeLoadsJs : tsxLoadsJs).call(this, module, filename);
  };
}
const { runMain } = require("../cli/main.ts");
const { runAsProcess } = require("../cli/command.ts");
runAsProcess("coder-oidc", runMain, process.argv.slice(2));
