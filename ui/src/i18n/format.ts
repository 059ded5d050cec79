// Fills a UI string. Two forms, a small subset of ICU MessageFormat that translators know:
//   {name}                                      the parameter as written
//   {count, plural, =0 {…} one {# item} other {# items}}
// In a plural branch `#` is the number and {name} placeholders work as usual. A branch is
// picked by an exact `=N` first, then by the locale's plural category (Arabic has six:
// zero, one, two, few, many, other; Thai only other), then `other`.

export type MessageParams = Record<string, string | number>;
export type PluralCategory = ReturnType<Intl.PluralRules["select"]>;

type Part =
  | { kind: "text"; text: string }
  | { kind: "param"; name: string }
  | { kind: "plural"; name: string; branches: Map<string, Part[]> }
  | { kind: "count" };

const parsed = new Map<string, Part[]>();

export function formatMessage(
  template: string,
  params: MessageParams | undefined,
  pluralOf: (n: number) => PluralCategory,
): string {
  if (!params && !template.includes("{")) return template;
  return render(parse(template), params ?? {}, pluralOf, null);
}

/** The parameter names a string uses, in placeholders and plural selectors alike. */
export function placeholderNames(template: string): string[] {
  const names = new Set<string>();
  const walk = (parts: Part[]) => {
    for (const part of parts) {
      if (part.kind === "param") names.add(part.name);
      if (part.kind === "plural") {
        names.add(part.name);
        for (const branch of part.branches.values()) walk(branch);
      }
    }
  };
  walk(parse(template));
  return [...names].sort();
}

/** The branch selectors of every plural in a string, e.g. ["one", "other"]. */
export function pluralSelectors(template: string): string[][] {
  const out: string[][] = [];
  const walk = (parts: Part[]) => {
    for (const part of parts) {
      if (part.kind !== "plural") continue;
      out.push([...part.branches.keys()]);
      for (const branch of part.branches.values()) walk(branch);
    }
  };
  walk(parse(template));
  return out;
}

function render(
  parts: Part[],
  params: MessageParams,
  pluralOf: (n: number) => PluralCategory,
  count: number | null,
): string {
  let out = "";
  for (const part of parts) {
    switch (part.kind) {
      case "text":
        out += part.text;
        break;
      case "count":
        out += count === null ? "#" : String(count);
        break;
      case "param":
        out += part.name in params ? String(params[part.name]) : `{${part.name}}`;
        break;
      case "plural": {
        const n = Number(params[part.name]);
        const branch = Number.isFinite(n)
          ? (part.branches.get(`=${n}`) ?? part.branches.get(pluralOf(n)) ?? part.branches.get("other"))
          : part.branches.get("other");
        out += branch ? render(branch, params, pluralOf, Number.isFinite(n) ? n : null) : "";
        break;
      }
    }
  }
  return out;
}

function parse(template: string): Part[] {
  let parts = parsed.get(template);
  if (!parts) {
    const reader = { text: template, at: 0 };
    parts = parseParts(reader, false, false);
    if (reader.at < template.length) throw new SyntaxError(`Unbalanced "}" in UI string: ${template}`);
    parsed.set(template, parts);
  }
  return parts;
}

type Reader = { text: string; at: number };

/** Reads until the end, or until the "}" closing the branch being read (left unread). */
function parseParts(reader: Reader, inBranch: boolean, inPlural: boolean): Part[] {
  const parts: Part[] = [];
  let text = "";
  const flush = () => {
    if (text) parts.push({ kind: "text", text });
    text = "";
  };
  while (reader.at < reader.text.length) {
    const char = reader.text[reader.at]!;
    if (char === "}") {
      if (inBranch) break;
      throw new SyntaxError(`Unbalanced "}" in UI string: ${reader.text}`);
    }
    if (char === "#" && inPlural) {
      flush();
      parts.push({ kind: "count" });
      reader.at++;
      continue;
    }
    if (char !== "{") {
      text += char;
      reader.at++;
      continue;
    }
    const placeholder = /^\{\s*(\w+)\s*\}/.exec(reader.text.slice(reader.at));
    if (placeholder) {
      flush();
      parts.push({ kind: "param", name: placeholder[1]! });
      reader.at += placeholder[0].length;
      continue;
    }
    const plural = /^\{\s*(\w+)\s*,\s*plural\s*,/.exec(reader.text.slice(reader.at));
    if (!plural) {
      // A lone brace that starts no placeholder is text (e.g. a JSON example).
      text += char;
      reader.at++;
      continue;
    }
    flush();
    reader.at += plural[0].length;
    parts.push({ kind: "plural", name: plural[1]!, branches: parseBranches(reader) });
  }
  flush();
  return parts;
}

function parseBranches(reader: Reader): Map<string, Part[]> {
  const branches = new Map<string, Part[]>();
  for (;;) {
    const selector = /^\s*(=\d+|zero|one|two|few|many|other)\s*\{/.exec(reader.text.slice(reader.at));
    if (!selector) break;
    reader.at += selector[0].length;
    branches.set(selector[1]!, parseParts(reader, true, true));
    if (reader.text[reader.at] !== "}") throw new SyntaxError(`Unclosed plural branch in UI string: ${reader.text}`);
    reader.at++;
  }
  const end = /^\s*\}/.exec(reader.text.slice(reader.at));
  if (!end || !branches.has("other")) {
    throw new SyntaxError(`A plural needs an "other" branch and a closing "}": ${reader.text}`);
  }
  reader.at += end[0].length;
  return branches;
}
