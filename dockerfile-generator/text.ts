/**
 * Dockerfile text built from parts, where every value that came from the repository is data: it is written as a
 * JSON string (exec form), never spliced into an instruction, so a newline cannot start a new instruction.
 */
export class DockerfileText {
  private readonly lines: string[] = [];

  /** A fixed instruction written by the generator itself (never repository text). */
  add(line: string): this {
    this.lines.push(line);
    return this;
  }

  blank(): this {
    this.lines.push('');
    return this;
  }

  /** `CMD [...]` in exec form; every argument is JSON-quoted with non-ASCII and control characters escaped. */
  cmd(args: string[]): this {
    return this.add(`CMD ${jsonArray(args)}`);
  }

  toString(): string {
    return `${this.lines.join('\n').replace(/\n{3,}/g, '\n\n')}\n`;
  }
}

/** A JSON array of strings safe on one Dockerfile line: only printable ASCII, everything else as `\uXXXX`. */
export function jsonArray(args: string[]): string {
  return `[${args.map(jsonString).join(', ')}]`;
}

function jsonString(value: string): string {
  return JSON.stringify(value).replace(/[^\x20-\x7e]/g, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

// Words that may stand unquoted in a command split on spaces: no shell syntax, no quotes, no variables.
const plainWord = /^[A-Za-z0-9_./:=@%+,-]+$/;

/**
 * A start command as exec-form arguments: split into words when it is plain words only (`node dist/main.js`),
 * otherwise handed whole to `sh -c` as one argument (pipes, `&&`, `$PORT` keep working; still one JSON string).
 */
export function startCommand(command: string): string[] {
  const words = command.trim().split(/[ \t]+/);
  const [first = ''] = words;
  if (/^[A-Za-z0-9_./@+-]+$/.test(first) && words.every((word) => plainWord.test(word))) return words;
  return ['sh', '-c', command.trim()];
}

/** True for a path or name that may appear in COPY/RUN lines as is: letters, digits, `._-/@+`, no `..`. */
export function isSafePath(value: string): boolean {
  return /^[A-Za-z0-9_.@+/-]+$/.test(value) && !value.split('/').includes('..') && !value.startsWith('/');
}
