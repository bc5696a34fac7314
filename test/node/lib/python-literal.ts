// A reader for Python literals (what Odoo's __manifest__.py is, and what Odoo reads with
// ast.literal_eval): dicts, lists, tuples, strings (with adjacent-literal concatenation),
// numbers, True / False / None, comments. Anything else (a name, a call, an operator) is an error,
// as it is for literal_eval. Enough for manifests; not a Python parser.

export type PyValue = string | number | boolean | null | PyValue[] | { [key: string]: PyValue };

const ESCAPES: Record<string, string> = { n: "\n", t: "\t", r: "\r", "\\": "\\", "'": "'", '"': '"', "0": "\0", "\n": "" };

export function parsePythonLiteral(source: string): PyValue {
  let i = 0;
  const fail = (what: string): never => {
    const line = source.slice(0, i).split("\n").length;
    throw new SyntaxError(`${what} at line ${line}: ${JSON.stringify(source.slice(i, i + 30))}`);
  };
  const skip = () => {
    for (;;) {
      while (i < source.length && /\s/.test(source[i]!)) i++;
      if (source[i] !== "#") return;
      while (i < source.length && source[i] !== "\n") i++;
    }
  };
  const string = (): string => {
    const prefix = /^[rRbBuU]?/.exec(source.slice(i))![0];
    if (/b/i.test(prefix)) fail("bytes literal");
    const raw = /r/i.test(prefix);
    i += prefix.length;
    const quote = source.startsWith('"""', i) || source.startsWith("'''", i) ? source.slice(i, i + 3) : source[i]!;
    i += quote.length;
    let out = "";
    for (;;) {
      if (i >= source.length) fail("unterminated string");
      if (source.startsWith(quote, i)) {
        i += quote.length;
        return out;
      }
      const ch = source[i]!;
      if (ch === "\n" && quote.length === 1) fail("newline in string");
      if (ch === "\\" && !raw) {
        const next = source[i + 1] ?? "";
        if (!(next in ESCAPES)) fail("unsupported escape");
        out += ESCAPES[next];
        i += 2;
        continue;
      }
      out += ch;
      i++;
    }
  };
  const sequence = (close: string): PyValue[] => {
    const items: PyValue[] = [];
    for (;;) {
      skip();
      if (source[i] === close) {
        i++;
        return items;
      }
      items.push(value());
      skip();
      if (source[i] === ",") i++;
      else if (source[i] !== close) fail(`expected , or ${close}`);
    }
  };
  const value = (): PyValue => {
    skip();
    const ch = source[i];
    if (ch === "{") {
      i++;
      const dict: { [key: string]: PyValue } = {};
      for (;;) {
        skip();
        if (source[i] === "}") {
          i++;
          return dict;
        }
        const key = value();
        if (typeof key !== "string") fail("only string keys are supported");
        skip();
        if (source[i] !== ":") fail("expected :");
        i++;
        dict[key as string] = value();
        skip();
        if (source[i] === ",") i++;
        else if (source[i] !== "}") fail("expected , or }");
      }
    }
    if (ch === "[") {
      i++;
      return sequence("]");
    }
    if (ch === "(") {
      i++;
      return sequence(")");
    }
    if (/^[rRuU]?['"]/.test(source.slice(i, i + 2))) {
      let s = string();
      // Adjacent literals concatenate: "a" "b" == "ab".
      for (skip(); /^[rRuU]?['"]/.test(source.slice(i, i + 2)); skip()) s += string();
      return s;
    }
    const number = /^-?(?:\d[\d_]*)(?:\.\d+)?(?:[eE][-+]?\d+)?/.exec(source.slice(i));
    if (number) {
      i += number[0].length;
      return Number(number[0].replaceAll("_", ""));
    }
    for (const [word, result] of [["True", true], ["False", false], ["None", null]] as const) {
      if (source.startsWith(word, i) && !/\w/.test(source[i + word.length] ?? "")) {
        i += word.length;
        return result;
      }
    }
    return fail("not a literal");
  };
  const result = value();
  skip();
  if (i < source.length) fail("unexpected text after the literal");
  return result;
}
