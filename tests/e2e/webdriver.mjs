// A small W3C WebDriver client over Node's fetch: just what the desktop suite needs.
const ELEMENT = "element-6066-11e4-a52e-4f735466cecf";

export class Session {
  constructor(base, id) {
    this.base = base;
    this.id = id;
  }

  static async start(base, binary) {
    const body = { capabilities: { alwaysMatch: { "webkitgtk:browserOptions": { binary, args: [] } } } };
    const res = await request(base, "POST", "/session", body);
    return new Session(base, res.sessionId);
  }

  async cmd(method, path, body) {
    return request(this.base, method, `/session/${this.id}${path}`, body);
  }

  async find(selector) {
    const found = await this.cmd("POST", "/elements", { using: "css selector", value: selector });
    return found.map((e) => e[ELEMENT]);
  }

  /** Waits until `selector` matches and `accept(element)` holds; returns the element id. */
  async waitFor(selector, { timeout = 15000, accept = async () => true, what = selector } = {}) {
    const deadline = Date.now() + timeout;
    let lastError = null;
    while (Date.now() < deadline) {
      try {
        for (const el of await this.find(selector)) {
          if (await accept(el)) return el;
        }
      } catch (error) {
        lastError = error;
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`timed out waiting for ${what}${lastError ? ` (${lastError.message})` : ""}`);
  }

  /** The element's text content (WebKitWebDriver's rendered-text algorithm drops some
   * right-to-left runs, so the DOM's own text is compared instead). */
  text(el) {
    return this.execute("return arguments[0].textContent", [{ [ELEMENT]: el }]);
  }

  attribute(el, name) {
    return this.cmd("GET", `/element/${el}/attribute/${name}`);
  }

  enabled(el) {
    return this.cmd("GET", `/element/${el}/enabled`);
  }

  click(el) {
    return this.cmd("POST", `/element/${el}/click`, {});
  }

  clear(el) {
    return this.cmd("POST", `/element/${el}/clear`, {});
  }

  type(el, text) {
    return this.cmd("POST", `/element/${el}/value`, { text });
  }

  execute(script, args = []) {
    return this.cmd("POST", "/execute/sync", { script, args });
  }

  screenshot() {
    return this.cmd("GET", "/screenshot");
  }

  end() {
    return this.cmd("DELETE", "");
  }
}

async function request(base, method, path, body) {
  const res = await fetch(base + path, {
    method,
    headers: { "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const json = await res.json().catch(() => ({}));
  if (!res.ok || (json.value && json.value.error)) {
    throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(json.value ?? json).slice(0, 300)}`);
  }
  return json.value;
}
