/**
 * Every file a command reads (a stack file, `env --values`, `verify --dotenv`, `doctor --coder-log`) is opened
 * here: without blocking (a FIFO with no writer, a terminal), checked to be a regular file before a byte is read
 * (a device or a FIFO is refused), and read up to a bound. Errors name the file and why, never its content.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { StackFileError } from "../src/errors";
import { shown } from "../src/safe-text";

/**
 * `file` as a message shows it: relative to the working folder (as given when it is that folder, or when the
 * working folder is gone), hidden characters escaped, capped.
 */
export function shownPath(file: string): string {
  let relative = "";
  try {
    relative = path.relative(process.cwd(), file);
  } catch {
    // process.cwd() throws when the working folder was deleted.
  }
  return shown(relative || file);
}

/** A file-system error in words, without a stack trace. */
export function ioReason(err: unknown): string {
  const code = (err as NodeJS.ErrnoException).code;
  switch (code) {
    case "ENOENT": return "it does not exist";
    case "ENOTDIR": return "a part of the path is a file, not a folder";
    case "EISDIR": return "it is a folder, not a file";
    case "EACCES": case "EPERM": return "permission denied";
    case "ELOOP": return "too many symbolic links";
    default: return code ? `${code}: ${(err as Error).message}` : String(err);
  }
}

/** What a file that is not a regular file is, in words. */
function kindOf(stat: fs.Stats): string {
  if (stat.isDirectory()) return "a folder";
  if (stat.isFIFO()) return "a FIFO (named pipe)";
  if (stat.isCharacterDevice() || stat.isBlockDevice()) return "a device";
  if (stat.isSocket()) return "a socket";
  return "not a regular file";
}

/** How to open a file a command reads: no blocking on a FIFO or terminal, no controlling terminal. */
const OPEN_FLAGS = fs.constants.O_RDONLY | fs.constants.O_NONBLOCK | (fs.constants.O_NOCTTY ?? 0);

/** Where a file is read from, and what it is for (for messages). */
export interface FileToRead {
  /** The path as given. */
  readonly file: string;
  /** What it is, for messages: `the stack file`, `--values`. */
  readonly what: string;
  /** When set, the file (after following links) must be inside this folder. */
  readonly within?: string;
}

/** Whether `target` is `dir` or inside it (both real paths). */
function isInside(target: string, dir: string): boolean {
  const rel = path.relative(dir, target);
  return rel === "" || (!rel.startsWith("..") && !path.isAbsolute(rel));
}

/**
 * Opens `file` for reading as a regular file: a file descriptor and its size. Throws {@link StackFileError}
 * for a missing or unreadable file, a folder, a FIFO, a device or a socket, and (with `within`) a link that
 * leads out of that folder.
 */
export function openRegularFile({ file, what, within }: FileToRead): { fd: number; size: number } {
  const name = shown(file);
  if (within !== undefined) {
    let real: string;
    let realDir: string;
    try {
      realDir = fs.realpathSync(within);
      real = fs.realpathSync(file);
    } catch (err) {
      throw new StackFileError(`Cannot read ${what} ${name}: ${ioReason(err)}`);
    }
    if (!isInside(real, realDir)) {
      throw new StackFileError(`${what} ${name} is a symbolic link to a file outside ${shown(within)}: refused ` +
        "(a stack file is read only from its folder; copy the file there instead of linking to it)");
    }
  }
  let fd: number;
  try {
    fd = fs.openSync(file, OPEN_FLAGS);
  } catch (err) {
    throw new StackFileError(`Cannot read ${what} ${name}: ${ioReason(err)}`);
  }
  try {
    const stat = fs.fstatSync(fd);
    if (!stat.isFile()) {
      throw new StackFileError(`Cannot read ${what} ${name}: it is ${kindOf(stat)}, not a ${stat.isDirectory() ? "" : "regular "}file` +
        (stat.isFIFO() || stat.isCharacterDevice() ? " (to read a stream, use a command that takes - for standard input)" : ""));
    }
    return { fd, size: stat.size };
  } catch (err) {
    fs.closeSync(fd);
    if (err instanceof StackFileError) throw err;
    throw new StackFileError(`Cannot read ${what} ${name}: ${ioReason(err)}`);
  }
}

/**
 * Reads a regular file of at most `maxBytes` (see {@link openRegularFile}); a larger one is refused without
 * reading past the bound, also when it grows while being read.
 */
export function readRegularFile(target: FileToRead, maxBytes: number): Buffer {
  const { fd, size } = openRegularFile(target);
  const tooLarge = () => new StackFileError(`Cannot read ${target.what} ${shown(target.file)}: it is larger than ${maxBytes} bytes`);
  try {
    if (size > maxBytes) throw tooLarge();
    let buffer = Buffer.alloc(Math.min(maxBytes + 1, size + 1));
    let length = 0;
    for (;;) {
      if (length === buffer.length) {
        // It grew while being read: read on, up to one byte past the bound.
        if (length > maxBytes) break;
        buffer = Buffer.concat([buffer, Buffer.alloc(Math.min(maxBytes + 1 - length, Math.max(length, 64 * 1024)))]);
      }
      const n = fs.readSync(fd, buffer, length, buffer.length - length, null);
      if (n === 0) break;
      length += n;
    }
    if (length > maxBytes) throw tooLarge();
    return buffer.subarray(0, length);
  } catch (err) {
    if (err instanceof StackFileError) throw err;
    throw new StackFileError(`Cannot read ${target.what} ${shown(target.file)}: ${ioReason(err)}`);
  } finally {
    fs.closeSync(fd);
  }
}
