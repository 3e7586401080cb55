/** The one exit-code table: every command (and the engine's drift and review) exits with these. */

/**
 * The one exit-code table of every command. The same situation gives the same code whatever the command:
 * - 0: all good (planned, rendered, no drift, every check passed, no failure in the log);
 * - 1: problems found: a stack's config or program fails, a mandatory policy fails, drift, a verify finding,
 *   failures in a Coder log, a value no dotenv file reads alike or not known here;
 * - 2: could not check, or bad input: bad arguments or a bad stack name, an unknown stack, a missing, unreadable
 *   or malformed file (stack file, --values, --dotenv, --coder-log), no Pulumi CLI or a Pulumi CLI that fails,
 *   an IdP or Coder that does not answer.
 */
export const ExitCode = { Ok: 0, StackFailed: 1, Usage: 2 } as const;
