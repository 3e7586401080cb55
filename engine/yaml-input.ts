/**
 * Reading YAML a person wrote (a stack file, a Helm values file) without trusting it: its nesting bounded before the
 * YAML library parses it, and its parse errors told by line number, never by an excerpt (the text may hold
 * credentials).
 */
import { Lexer, type YAMLError } from "yaml";
import { listedLines, yamlProblemText } from "../src/safe-text";

/**
 * The deepest nesting a YAML file we read may have (a stack file, a Helm values file). A real one nests a handful
 * of levels; the YAML library reads nesting by recursion, so a file of a million `[` would run it out of stack.
 */
export const MAX_YAML_NESTING = 100;

/** The control characters the YAML lexer marks its tokens with (document start, scalar, flow error end). */
// eslint-disable-next-line no-control-regex
const LEXER_MARKER = /^[\x00-\x08\x0e-\x1f]$/;

/**
 * How deep `text` nests, counted from the YAML tokens without building anything: open flow collections (`[`, `{`)
 * plus, in block context, the indentation levels open on the line and each `-` or `?` on it (an upper bound).
 * Returns the first line deeper than `max`, or undefined.
 */
export function lineTooDeep(text: string, max: number = MAX_YAML_NESTING): number | undefined {
  let flow = 0;
  let line = 1;
  /** The indentation of the line read so far, until its first content token; undefined after it. */
  let indent: number | undefined = 0;
  let onLine = 0;
  const indents: number[] = [];
  for (const token of new Lexer().lex(text)) {
    // The lexer's own markers (a document, a scalar, an error) are no content.
    if (LEXER_MARKER.test(token)) continue;
    const newlines = token.split("\n").length - 1;
    if (newlines > 0) {
      // A line break, or a multi-line scalar (a block scalar's lines, a quoted text): neither an indicator nor a
      // line's opening; after a line break, the next line starts.
      line += newlines;
      if (token.endsWith("\n")) indent = 0;
      continue;
    }
    if (indent !== undefined) {
      if (/^ +$/.test(token)) {
        indent = token.length;
        continue;
      }
      if (token.startsWith("#")) continue;
      // The line's first content: the block levels still open are those indented less than it.
      if (flow === 0) {
        while (indents.length > 0 && indents[indents.length - 1] >= indent) indents.pop();
        indents.push(indent);
        onLine = indents.length;
      }
      indent = undefined;
    }
    if (token === "[" || token === "{") flow += 1;
    else if (token === "]" || token === "}") flow = Math.max(0, flow - 1);
    else if (flow === 0 && (token === "-" || token === "?")) onLine += 1;
    if (flow + onLine > max) return line;
  }
  return undefined;
}

/** The parse errors of `text`, one `  - line N: problem` line each (at most {@link listedLines}'s bound). */
export function yamlErrorLines(text: string, errors: readonly YAMLError[]): string {
  return listedLines(errors.map((e) => `  - line ${text.slice(0, e.pos[0]).split("\n").length}: ${yamlProblemText(e.message)}`));
}
