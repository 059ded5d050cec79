// The systems around the desk in the suite: the server's REST API as another system or an
// admin's script calls it (to set the scene and to check what the desk saved), and a receiver
// for outgoing webhooks that records what it is sent.
import { createHmac } from "node:crypto";
import { createServer } from "node:http";

/** Calls `/api/v1` with a bearer token; answers `{ status, body }` (body parsed when JSON). */
export async function api(serverUrl, token, method, path, body, contentType = "application/json") {
  const headers = {};
  if (token) headers.authorization = `Bearer ${token}`;
  if (body !== undefined) headers["content-type"] = contentType;
  const res = await fetch(`${serverUrl}/api/v1${path}`, {
    method,
    headers,
    body: body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body),
  });
  const text = await res.text();
  let parsed = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    // Not JSON: keep the text.
  }
  return { status: res.status, body: parsed };
}

/** Like `api`, but refuses anything other than a 2xx answer and returns the body. */
export async function apiOk(serverUrl, token, method, path, body, contentType) {
  const answer = await api(serverUrl, token, method, path, body, contentType);
  if (answer.status < 200 || answer.status > 299) {
    throw new Error(`${method} ${path}: ${answer.status} ${JSON.stringify(answer.body).slice(0, 300)}`);
  }
  return answer.body;
}

/** A session token for `username` (every demo user's password is the same). */
export async function signIn(serverUrl, username) {
  const { token } = await apiOk(serverUrl, null, "POST", "/login", { username, password: "switchboard-demo" });
  return token;
}

/** An HTTP receiver on loopback that answers 200 and keeps each request it gets. */
export async function webhookReceiver() {
  const received = [];
  const server = createServer((req, res) => {
    let body = "";
    req.setEncoding("utf8");
    req.on("data", (chunk) => (body += chunk));
    req.on("end", () => {
      received.push({ path: req.url, headers: req.headers, body });
      res.writeHead(200, { "content-type": "text/plain" });
      res.end("ok");
    });
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${server.address().port}/switchboard/events`,
    received,
    close: () => new Promise((resolve) => server.close(resolve)),
  };
}

/**
 * Whether `X-Switchboard-Signature: t=<unix>,v1=<hex>` signs `body` with `secret`, as the
 * docs/outgoing-webhooks.md tells receivers to check it: HMAC-SHA256 over "<t>.<body>"; one
 * matching `v1=` is enough.
 */
export function signedWith(secret, header, body) {
  const parts = String(header ?? "").split(",").map((kv) => kv.split("="));
  const t = parts.find(([k]) => k === "t")?.[1];
  const signatures = parts.filter(([k]) => k === "v1").map(([, v]) => v);
  if (!t) return false;
  const expected = createHmac("sha256", secret).update(`${t}.${body}`).digest("hex");
  return signatures.includes(expected);
}
