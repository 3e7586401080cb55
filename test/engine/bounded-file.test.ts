/**
 * engine/bounded-file.ts (issue 20, class 1): a file reached through a link, a device, a FIFO or a terminal is
 * refused before a byte is read and never hangs; a regular file is read up to its bound, also when it grows or
 * its size is unknown (/proc); every refusal is a StackFileError that names the file and why, never its content;
 * no file descriptor is left open.
 */
import assert from "node:assert/strict";
import { execFileSync, spawnSync } from "node:child_process";
import { constants as bufferConstants } from "node:buffer";
import fs from "node:fs";
import { syncBuiltinESMExports } from "node:module";
import * as os from "node:os";
import * as path from "node:path";
import { after, describe, it, type TestContext } from "node:test";
import { openRegularFile, readRegularFile, type FileToRead } from "../../engine/bounded-file";
import { StackFileError } from "../../src/errors";

const TEMP = fs.mkdtempSync(path.join(os.tmpdir(), "coder-oidc-bounded-file-"));
after(() => fs.rmSync(TEMP, { recursive: true, force: true }));
let count = 0;
const LINUX = process.platform === "linux";
const SECRET = "s3cr3t-content-never-shown";

/** A new file in a folder of its own holding `content`; returns the file's path. */
function fileWith(content: string | Buffer): string {
  const dir = path.join(TEMP, `d${count++}`);
  fs.mkdirSync(dir);
  const file = path.join(dir, "f.txt");
  fs.writeFileSync(file, content);
  return file;
}

/** The StackFileError that `read` throws (its code checked, no stack trace, no file content in it). */
function refusal(read: () => unknown): StackFileError {
  try {
    read();
  } catch (err) {
    assert.ok(err instanceof StackFileError, `a StackFileError, got ${String(err)}`);
    assert.equal(err.code, "ERR_STACK_FILE");
    assert.ok(!/\n\s+at /.test(err.message), "no stack trace in the message");
    assert.ok(!err.message.includes(SECRET), "the file's content is never quoted");
    return err;
  }
  return assert.fail("expected a refusal");
}

/** The lowest free file descriptor (the one the next open gets): it moves when a descriptor is left open. */
function nextFd(): number {
  const fd = fs.openSync(__filename, "r");
  fs.closeSync(fd);
  return fd;
}

/**
 * Makes `file` grow while it is read, as when another process appends to it: before each read, `step` more
 * bytes are appended until it holds `upTo` bytes. Returns how many bytes the reads have handed over so far.
 */
function growWhileRead(t: TestContext, file: string, step: number, upTo: number): () => number {
  const realRead = fs.readSync;
  let handed = 0;
  t.mock.method(fs, "readSync", (...args: Parameters<typeof fs.readSync>) => {
    const size = fs.statSync(file).size;
    if (size < upTo) fs.appendFileSync(file, Buffer.alloc(Math.min(step, upTo - size), 0x61 + (size % 26)));
    const n = (realRead as (...a: Parameters<typeof fs.readSync>) => number)(...args);
    handed += n;
    return n;
  });
  syncBuiltinESMExports();
  t.after(() => syncBuiltinESMExports());
  return () => handed;
}

describe("what is not a regular file is refused before a byte is read, named for what it is", () => {
  it("a character device is a device, with the way to read a stream", () => {
    const err = refusal(() => readRegularFile({ file: "/dev/null", what: "--values" }, 100));
    assert.match(err.message, /^Cannot read --values \/dev\/null: it is a device, not a regular file/);
    assert.match(err.message, /use a command that takes - for standard input/);
  });
  it("a FIFO with no writer is a FIFO, refused at once (no hang), with the way to read a stream", () => {
    const fifo = path.join(TEMP, `fifo${count++}`);
    execFileSync("mkfifo", [fifo]);
    const err = refusal(() => readRegularFile({ file: fifo, what: "--values" }, 100));
    assert.match(err.message, /: it is a FIFO \(named pipe\), not a regular file/);
    assert.match(err.message, /use a command that takes - for standard input/);
  });
  it("a folder is a folder, not a file, without the stream hint", () => {
    const err = refusal(() => readRegularFile({ file: TEMP, what: "--values" }, 100));
    assert.match(err.message, /: it is a folder, not a file$/);
  });
  it("a Unix socket is refused when opened, naming why", { skip: !LINUX }, async () => {
    const net = await import("node:net");
    const socket = path.join(TEMP, `sock${count++}`);
    const server = net.createServer();
    await new Promise<void>((resolve) => server.listen(socket, resolve));
    try {
      const err = refusal(() => readRegularFile({ file: socket, what: "--values" }, 100));
      assert.match(err.message, /^Cannot read --values .*sock\d+: ENXIO/);
    } finally {
      server.close();
    }
  });
  it("opening a terminal does not make it the controlling terminal of the process (O_NOCTTY)", { skip: !LINUX }, (t) => {
    // A session leader with no controlling terminal acquires the first terminal it opens without O_NOCTTY, and
    // from then on gets the terminal's signals (SIGHUP, SIGINT). Python opens a pseudo-terminal; a new session runs
    // openRegularFile on it, then asks whether it now has a controlling terminal (/dev/tty opens only if it does).
    if (spawnSync("python3", ["--version"]).status !== 0 || spawnSync("setsid", ["--version"]).status !== 0) {
      assert.notEqual(process.env.CI, "true", "python3 and setsid are needed for this test in CI");
      return t.skip("python3 or setsid is not installed");
    }
    const child = path.join(TEMP, `ctty${count++}.ts`);
    fs.writeFileSync(child, [
      `import * as fs from "node:fs";`,
      `import { openRegularFile } from ${JSON.stringify(path.resolve(__dirname, "../../engine/bounded-file"))};`,
      `let refused = "";`,
      `try { openRegularFile({ file: process.argv[2], what: "--values" }); } catch (err) { refused = (err as Error).message; }`,
      `let controlling = true;`,
      `try { fs.closeSync(fs.openSync("/dev/tty", "r")); } catch { controlling = false; }`,
      `console.log(JSON.stringify({ refused, controlling }));`,
    ].join("\n"));
    const python = [
      "import os, subprocess, sys",
      "master, slave = os.openpty()",
      "name = os.ttyname(slave)",
      "os.close(slave)",
      "r = subprocess.run(['setsid', '-w', sys.argv[1], '--import', 'tsx', sys.argv[2], name], stdin=subprocess.DEVNULL, capture_output=True, text=True)",
      "sys.stdout.write(r.stdout)",
      "sys.stderr.write(r.stderr)",
      "sys.exit(r.returncode)",
    ].join("\n");
    const run = spawnSync("python3", ["-c", python, process.execPath, child], { encoding: "utf8", cwd: path.resolve(__dirname, "../..") });
    assert.equal(run.status, 0, run.stderr);
    const { refused, controlling } = JSON.parse(run.stdout) as { refused: string; controlling: boolean };
    assert.match(refused, /: it is a device, not a regular file/);
    assert.equal(controlling, false, "the terminal became the controlling terminal");
  });
});

describe("within a folder: a link out of it is refused, a missing file named", () => {
  it("a missing file inside the folder is a StackFileError naming the file and why", () => {
    const dir = path.dirname(fileWith(""));
    const err = refusal(() => readRegularFile({ file: path.join(dir, "missing.yaml"), what: "the stack file", within: dir }, 100));
    assert.match(err.message, /^Cannot read the stack file .*missing\.yaml: it does not exist$/);
  });
  it("a link to a file outside is refused, and the message says to copy the file instead", () => {
    const outside = fileWith(SECRET);
    const dir = path.dirname(fileWith(""));
    const link = path.join(dir, "linked.yaml");
    fs.symlinkSync(outside, link);
    const err = refusal(() => readRegularFile({ file: link, what: "the stack file", within: dir }, 100));
    assert.match(err.message, /linked\.yaml is a symbolic link to a file outside .*: refused/);
    assert.match(err.message, /copy the file there instead of linking to it/);
  });
  it("a link to a file inside the folder is read", () => {
    const target = fileWith("inside");
    const link = path.join(path.dirname(target), "linked.yaml");
    fs.symlinkSync(target, link);
    assert.equal(readRegularFile({ file: link, what: "the stack file", within: path.dirname(target) }, 100).toString(), "inside");
  });
});

describe("a regular file is read up to its bound", () => {
  it("a file of exactly the bound is read; one byte more is refused; down to a bound of 0", () => {
    for (const bound of [0, 1, 7, 4096]) {
      const at = fileWith(Buffer.alloc(bound, "x"));
      assert.equal(readRegularFile({ file: at, what: "--values" }, bound).length, bound);
      const over = fileWith(Buffer.alloc(bound + 1, "x"));
      const err = refusal(() => readRegularFile({ file: over, what: "--values" }, bound));
      assert.match(err.message, new RegExp(`: it is larger than ${bound} bytes$`));
    }
  });
  it("a file already larger than the bound is refused before a byte is read", (t) => {
    const file = fileWith(`${SECRET}\n`.repeat(100));
    const handed = growWhileRead(t, file, 0, 0);
    refusal(() => readRegularFile({ file, what: "--values" }, 64));
    assert.equal(handed(), 0);
  });
  it("memory follows the file, not the bound: a small file reads under a bound no buffer could hold", () => {
    const file = fileWith("small");
    assert.equal(readRegularFile({ file, what: "--values" }, bufferConstants.MAX_LENGTH).toString(), "small");
  });
  it("a file that grows while read is read whole while it stays within the bound", (t) => {
    for (const [start, step, upTo, bound] of [[10, 50, 300, 300], [0, 7, 100, 1000], [99, 1, 100, 100], [1, 70_000, 200_000, 300_000]]) {
      const file = fileWith(Buffer.alloc(start, "s"));
      const handed = growWhileRead(t, file, step, upTo);
      const read = readRegularFile({ file, what: "--coder-log" }, bound);
      assert.equal(read.length, upTo, `start ${start}, step ${step}, bound ${bound}`);
      assert.equal(handed(), upTo);
      t.mock.restoreAll();
      assert.ok(read.equals(fs.readFileSync(file)), "the bytes as written");
    }
  });
  it("a file that grows past the bound is refused, after reading at most one byte past the bound", (t) => {
    for (const [start, step, bound] of [[10, 50, 100], [99, 50, 100], [100, 1, 100], [0, 1000, 100], [1, 70_000, 100_000]]) {
      const file = fileWith(Buffer.alloc(start, "s"));
      const handed = growWhileRead(t, file, step, bound * 3);
      const err = refusal(() => readRegularFile({ file, what: "--coder-log" }, bound));
      assert.match(err.message, new RegExp(`: it is larger than ${bound} bytes$`));
      assert.ok(handed() <= bound + 1, `read ${handed()} bytes under a bound of ${bound} (start ${start}, step ${step})`);
      t.mock.restoreAll();
    }
  });
  it("a /proc file, whose size reads as 0, is read to its end", { skip: !LINUX }, () => {
    const cmdline = fs.readFileSync("/proc/self/cmdline");
    assert.equal(fs.statSync("/proc/self/cmdline").size, 0);
    assert.ok(readRegularFile({ file: "/proc/self/cmdline", what: "--values" }, cmdline.length).equals(cmdline));
    refusal(() => readRegularFile({ file: "/proc/self/cmdline", what: "--values" }, cmdline.length - 1));
  });
});

describe("an error while reading is a StackFileError naming the file and why; no descriptor is left open", () => {
  it("a read that fails (EIO) names the file and the error", { skip: !LINUX }, () => {
    const err = refusal(() => readRegularFile({ file: "/proc/self/mem", what: "--values" }, 100));
    assert.match(err.message, /^Cannot read --values \/proc\/self\/mem: EIO/);
  });
  it("a stat that fails after opening names the file and the error, and closes the file", (t) => {
    const file = fileWith(SECRET);
    const before = nextFd();
    t.mock.method(fs, "fstatSync", () => {
      throw Object.assign(new Error("EIO: i/o error, fstat"), { code: "EIO" });
    });
    syncBuiltinESMExports();
    t.after(() => syncBuiltinESMExports());
    for (const read of [() => openRegularFile({ file, what: "--coder-log" }), () => readRegularFile({ file, what: "--values" }, 100)]) {
      const err = refusal(read);
      assert.match(err.message, /^Cannot read (--coder-log|--values) .*f\.txt: EIO\b.*i\/o error, fstat$/);
    }
    t.mock.restoreAll();
    syncBuiltinESMExports();
    assert.equal(nextFd(), before, "a file descriptor was left open");
  });
  it("reading closes the file, whether it is read, too large or refused", () => {
    const targets: [FileToRead, number][] = [
      [{ file: fileWith("content"), what: "--values" }, 100],
      [{ file: fileWith(SECRET), what: "--values" }, 3],
      [{ file: "/dev/null", what: "--values" }, 100],
      ...(LINUX ? [[{ file: "/proc/self/mem", what: "--values" }, 100] as [FileToRead, number]] : []),
    ];
    const before = nextFd();
    for (const [target, bound] of targets) {
      try {
        readRegularFile(target, bound);
      } catch (err) {
        assert.ok(err instanceof StackFileError, String(err));
      }
      assert.equal(nextFd(), before, `a file descriptor was left open reading ${target.file}`);
    }
  });
});
