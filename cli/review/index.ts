/**
 * `coder-oidc plan --all --diff <ref> [--format text|markdown|json]`: prints the review diff (./review-diff.ts).
 * Exit codes: 0 the change passes the policy pack; 1 a stack fails a mandatory policy or does not plan;
 * 2 a bad ref, git missing, or the ref's plan gave nothing to compare.
 */
import { toolkitRoot } from "../../src/project-paths";
import { makeReviewDiff, renderReviewMarkdown, renderReviewText, reviewExitCode, ReviewExitCode } from "./diff";
import { ReviewDiffError } from "./ref";
import { fatal, type OutputStreams, processStreams } from "../command";

/** The project root: where Pulumi.yaml and stacks/ are. */
const PROJECT_ROOT = toolkitRoot();

/** Runs the review diff and prints it; resolves to the exit code. */
export async function runReviewDiff(options: {
  /** The git ref to compare with. */
  readonly ref: string;
  /** How to print the diff. */
  readonly format: "text" | "json" | "markdown";
  /** The working tree's stack files. */
  readonly stacksDir: string;
  /** Only this stack; default every stack. */
  readonly stack?: string;
  /** The project whose repository holds the ref. Default: this checkout. */
  readonly projectRoot?: string;
}, io: OutputStreams = processStreams()): Promise<number> {
  try {
    const diff = await makeReviewDiff({ ref: options.ref, projectRoot: options.projectRoot ?? PROJECT_ROOT, stacksDir: options.stacksDir, stack: options.stack });
    const out = options.format === "json" ? JSON.stringify(diff, null, 2) + "\n"
      : options.format === "markdown" ? renderReviewMarkdown(diff) : renderReviewText(diff);
    io.stdout.write(out);
    return reviewExitCode(diff);
  } catch (err) {
    if (!(err instanceof ReviewDiffError)) throw err;
    return fatal(io, options.format === "json", err.message, ReviewExitCode.Usage, err.code);
  }
}
