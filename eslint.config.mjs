// ESLint flat config: the recommended JavaScript and TypeScript rules over every source folder, and the layers.
import { readdirSync } from "node:fs";
import { join } from "node:path";
import js from "@eslint/js";
import tseslint from "typescript-eslint";
import { createNodeResolver, importX } from "eslint-plugin-import-x";

const ROOT = import.meta.dirname;

// The layers, bottom to top: each folder and what it may import besides itself and npm packages. An import of
// any other top-level folder below is an error (import-x/no-restricted-paths, on the resolved file, so
// `../../engine/x` from any depth, `export ... from`, `import()` and `require()` all count).
const FOLDERS = ["src", "idps", "program", "policy", "engine", "cli", "e2e", "test", "bench", "mutation"];
const LAYERS = [
  // Core: the config engine, errors, HTTP, verify and policy plumbing; knows no IdP and no caller.
  { target: "src", mayImport: [] },
  // Top-level idps files (the registry): the core and every IdP's folder.
  { target: "idps/*.ts", mayImport: ["src", "idps"] },
  // The Pulumi program and the policy pack: the core and the IdPs.
  { target: "program", mayImport: ["src", "idps"] },
  { target: "policy", mayImport: ["src", "idps"] },
  // Offline runtime, plan, policy run, stack files, drift, automation: everything under the CLI.
  { target: "engine", mayImport: ["src", "idps", "policy", "program"] },
  // The commands: the whole product.
  { target: "cli", mayImport: ["src", "idps", "policy", "program", "engine"] },
  // End-to-end runs drive the product only (never test/, bench/ or mutation/).
  { target: "e2e", mayImport: ["src", "idps", "policy", "program", "engine", "cli"] },
  // test/, bench/ and mutation/ may import anything.
];
// One folder per IdP (idps/<idp>/): the core and its own folder only, never another IdP or the registry.
const IDPS = readdirSync(join(ROOT, "idps"), { withFileTypes: true }).filter((entry) => entry.isDirectory());
const layerZones = [
  ...LAYERS.map(({ target, mayImport }) => ({
    target,
    from: FOLDERS.filter((folder) => folder !== target && !mayImport.includes(folder) && !target.startsWith(`${folder}/`)),
    message: `${target} may import only ${["itself", ...mayImport].join(", ")} (layers: eslint.config.mjs).`,
  })),
  ...IDPS.flatMap(({ name }) => [
    {
      target: `idps/${name}`,
      from: FOLDERS.filter((folder) => folder !== "src" && folder !== "idps"),
      message: `idps/${name} may import only src and idps/${name} (layers: eslint.config.mjs).`,
    },
    {
      target: `idps/${name}`,
      from: "idps",
      except: [`./${name}`],
      message: `idps/${name} may import only src and idps/${name} (layers: eslint.config.mjs).`,
    },
  ]),
];

export default tseslint.config(
  { ignores: ["node_modules/**", "bin/**", "reports/**", ".stryker-tmp/**"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ["**/*.ts"],
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "@typescript-eslint/consistent-type-imports": "error",
      eqeqeq: ["error", "always"],
    },
  },
  {
    // CommonJS entries (the policy pack's, loaded by the Pulumi CLI) require their TypeScript.
    files: ["**/*.cjs"],
    languageOptions: { sourceType: "commonjs", globals: { require: "readonly", module: "writable" } },
    rules: { "@typescript-eslint/no-require-imports": "off" },
  },
  {
    // The layers above, on every file that can import.
    files: ["**/*.{ts,cjs,mjs,js}"],
    plugins: { "import-x": importX },
    settings: { "import-x/resolver-next": [createNodeResolver({ extensions: [".ts", ".js", ".cjs", ".mjs", ".json"] })] },
    rules: { "import-x/no-restricted-paths": ["error", { basePath: ROOT, zones: layerZones }] },
  },
);
