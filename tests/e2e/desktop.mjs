// Drives the real Switchboard desktop app: sign in, receive a simulated customer's message,
// see a blocked phrase refused, confirm a warned one, reply, see the read ticks, tag and resolve the
// conversation, see the desk mirrored in Arabic, sign in as an admin on the same desk for the
// supervisor and admin screens (users, an automatic reply and its test console), then reopen
// offline on the cache. Prints "N passed, N failed".
import { writeFileSync } from "node:fs";
import { Session } from "./webdriver.mjs";

const binary = process.argv[2];
const driver = process.env.WEBDRIVER_URL;
const serverUrl = process.env.SWITCHBOARD_E2E_SERVER_URL;
const simUrl = process.env.SWITCHBOARD_E2E_SIM_URL;
const NUMBER = "107655329452912";
const CUSTOMER_TEXT = "مرحبا، متى يصل طلبي رقم 4521؟";
const REPLY = "Your order 4521 arrives on Monday. شكرا!";

let passed = 0;
let failed = 0;
let session;
let skipRest = false;

async function step(name, body) {
  if (skipRest) {
    console.log(`not ok - ${name} # skipped after an earlier failure`);
    failed++;
    return;
  }
  const started = Date.now();
  try {
    await body();
    passed++;
    console.log(`ok - ${name} (${Date.now() - started} ms)`);
  } catch (error) {
    failed++;
    skipRest = true;
    console.log(`not ok - ${name}\n  ${error.stack ?? error}`);
    await saveScreenshot("failure");
  }
}

async function saveScreenshot(name) {
  try {
    const png = await session.screenshot();
    const path = new URL(`./artifacts/${name}.png`, import.meta.url);
    writeFileSync(path, Buffer.from(png, "base64"));
    console.log(`  screenshot: tests/e2e/artifacts/${name}.png`);
  } catch (error) {
    console.log(`  (no screenshot: ${error.message})`);
  }
}

const hasText = (expected) => async (el) => (await session.text(el)).includes(expected);

async function fill(selector, value) {
  const el = await session.waitFor(selector);
  await session.clear(el);
  await session.type(el, value);
}

/** Clicks an element below the fold of a scrolling panel, which WebKitWebDriver's own
 * scrolling leaves out of view (the click then lands nowhere). */
async function clickInView(selector) {
  const el = await session.waitFor(selector);
  await session.execute("arguments[0].scrollIntoView({ block: 'center' });", [{ "element-6066-11e4-a52e-4f735466cecf": el }]);
  await session.click(el);
}

await step("the app window opens on the sign-in screen", async () => {
  session = await Session.start(driver, binary);
  await session.waitFor("#server-url");
});

await step("a wrong password gets a clear error", async () => {
  await fill("#server-url", serverUrl);
  await fill("#username", "amal");
  await fill("#password", "not-the-password");
  await session.click(await session.waitFor("#sign-in"));
  await session.waitFor("#login-error", { accept: hasText("Wrong username or password"), what: "the login error" });
});

await step("the agent signs in and goes online", async () => {
  await fill("#password", "switchboard-demo");
  await session.click(await session.waitFor("#sign-in"));
  await session.waitFor("#connection-state", {
    accept: async (el) => (await session.attribute(el, "data-state")) === "online",
    what: "the online indicator",
  });
});

await step("a simulated customer's message arrives in the inbox", async () => {
  const res = await fetch(`${simUrl}/sim/inbound`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ phone_number_id: NUMBER, from: "966501234567", name: "سارة العتيبي", text: CUSTOMER_TEXT }),
  });
  if (!res.ok) throw new Error(`simulator refused the message: ${res.status}`);
  const item = await session.waitFor(".inbox-item", { accept: hasText("سارة العتيبي"), what: "the new conversation" });
  await session.click(item);
  await session.waitFor('.message[data-direction="inbound"]', { accept: hasText(CUSTOMER_TEXT), what: "the customer's message" });
});

await step("a blocked phrase is highlighted and sending is refused", async () => {
  await fill("#composer", "You won FREE money, click here");
  await session.waitFor("mark.filter-hit", { accept: hasText("FREE money"), what: "the highlighted phrase" });
  await session.waitFor("#filter-warning", { accept: hasText("free money"), what: "the filter warning" });
  const send = await session.waitFor("#send");
  if (await session.enabled(send)) throw new Error("Send must be disabled while a blocked phrase is present");
});

await step("a phrase an admin just put on warning needs the agent's confirmation", async () => {
  // The admin edits the policy over REST while the desk is online; it arrives through sync.
  const api = `${serverUrl}/api/v1`;
  const login = await fetch(`${api}/login`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ username: "admin", password: "switchboard-demo" }),
  });
  if (!login.ok) throw new Error(`the admin could not sign in: ${login.status}`);
  const auth = { authorization: `Bearer ${(await login.json()).token}` };
  const { policy } = await (await fetch(`${api}/filter`, { headers: auth })).json();
  const saved = await fetch(`${api}/filter`, {
    method: "PUT",
    headers: { ...auth, "content-type": "application/json" },
    body: JSON.stringify({
      entries: [...policy.entries, { phrase: "full refund", action: "warn", match_mode: "substring" }],
      allowlist: policy.allowlist ?? [],
      based_on: policy.version,
    }),
  });
  if (!saved.ok) throw new Error(`the policy was not saved: ${saved.status} ${await saved.text()}`);

  // WebDriver's clear does not reach React's state; select all and delete like a user.
  const composer = await session.waitFor("#composer");
  await session.type(composer, "\uE009a\uE000\uE003");
  await session.type(composer, "You will get a full refund.");
  await session.waitFor('mark.filter-hit[data-action="warn"]', { accept: hasText("full refund"), what: "the warned phrase" });
  await session.waitFor("#filter-caution", { accept: hasText("full refund"), what: "the caution" });
  await session.click(await session.waitFor("#send", { accept: (el) => session.enabled(el), what: "an enabled Send button" }));
  await session.waitFor("#filter-confirm", { accept: hasText("full refund"), what: "the confirmation question" });
  let sent = await (await fetch(`${simUrl}/sim/sent`)).json();
  if (sent.some((m) => m.text.includes("full refund"))) throw new Error("the warned reply left before it was confirmed");
  await session.click(await session.waitFor("#confirm-send"));
  await session.waitFor('.message[data-direction="outbound"][data-status="read"]', {
    accept: hasText("full refund"),
    what: "the confirmed reply, read",
  });
  sent = await (await fetch(`${simUrl}/sim/sent`)).json();
  if (sent.filter((m) => m.text === "You will get a full refund.").length !== 1) throw new Error("the confirmed reply was not sent once");
});

await step("the reply goes out and shows read ticks", async () => {
  await fill("#composer", REPLY);
  const send = await session.waitFor("#send", { accept: (el) => session.enabled(el), what: "an enabled Send button" });
  await session.click(send);
  await session.waitFor('.message[data-direction="outbound"][data-status="read"]', {
    accept: hasText("4521"),
    what: "the reply with read ticks",
  });
  const sent = await (await fetch(`${simUrl}/sim/sent`)).json();
  const copies = sent.filter((m) => m.text === REPLY);
  if (copies.length !== 1) throw new Error(`the simulator got ${copies.length} copies of the reply`);
  await saveScreenshot("reply-read");
});

await step("the agent tags the conversation and resolves it, and sees both", async () => {
  const input = await session.waitFor("#tag-input");
  // \uE007 is WebDriver's Enter key: it submits the tag.
  await session.type(input, "vip\uE007");
  await session.waitFor('.tag-chip[data-tag="vip"]', { what: "the vip tag chip" });
  await session.click(await session.waitFor("#resolve"));
  await session.waitFor("#conversation-resolved", { what: "the conversation marked resolved" });
  await saveScreenshot("tagged-resolved");
  // The server holds both too (the tag went through the outbox).
  const token = await (await fetch(`${serverUrl}/api/v1/login`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ username: "amal", password: "switchboard-demo" }),
  })).json();
  let stored;
  for (let i = 0; i < 50; i++) {
    const list = await (await fetch(`${serverUrl}/api/v1/conversations`, { headers: { authorization: `Bearer ${token.token}` } })).json();
    stored = list.find((c) => c.tags.includes("vip"));
    if (stored?.status === "resolved") break;
    await new Promise((r) => setTimeout(r, 200));
  }
  if (stored?.status !== "resolved") throw new Error(`the server has ${JSON.stringify(stored)} instead of a resolved vip conversation`);
  // Reopen, so the rest of the suite finds the conversation as before.
  await session.click(await session.waitFor("#reopen"));
  await session.waitFor("#resolve", { what: "the conversation open again" });
});

await step("in Arabic the whole desk mirrors right to left", async () => {
  const language = await session.waitFor("#language");
  await session.click(await session.waitFor('#language option[value="ar"]'));
  if ((await session.execute("return document.getElementById('language').value")) !== "ar") {
    // Some WebKit builds leave a closed <select> alone on an option click; choose it as the keyboard would.
    await session.execute(
      "const s = arguments[0]; s.value = 'ar'; s.dispatchEvent(new Event('change', { bubbles: true }));",
      [{ "element-6066-11e4-a52e-4f735466cecf": language }],
    );
  }
  const page = await session.execute("return [document.documentElement.dir, document.documentElement.lang]");
  if (page[0] !== "rtl" || page[1] !== "ar") throw new Error(`the page is dir=${page[0]} lang=${page[1]}, not rtl/ar`);
  const says = (expected) => async (el) => (await session.text(el)).trim() === expected;
  await session.waitFor("#connection-state", { accept: says("متصل"), what: "the connection state in Arabic" });
  await session.waitFor("#inbox-count", { accept: hasText("محادث"), what: "the inbox summary in Arabic" });
  // The customer's messages sit on the start side, which is now the right; the agent's on the left.
  const sides = await session.execute(`
    const inbound = document.querySelector('.message[data-direction="inbound"] .bubble').getBoundingClientRect();
    const outbound = document.querySelector('.message[data-direction="outbound"] .bubble').getBoundingClientRect();
    const inbox = document.getElementById('inbox').getBoundingClientRect();
    const conversation = document.getElementById('conversation').getBoundingClientRect();
    return { inboundRight: inbound.right, outboundRight: outbound.right, inboxLeft: inbox.left, conversationLeft: conversation.left };`);
  if (!(sides.inboundRight > sides.outboundRight)) throw new Error(`bubbles are not mirrored: ${JSON.stringify(sides)}`);
  if (!(sides.inboxLeft > sides.conversationLeft)) throw new Error(`the inbox is not on the right: ${JSON.stringify(sides)}`);
  await saveScreenshot("arabic-rtl");
  // Back to English, so the rest of the suite reads the English UI it expects.
  await session.execute(
    "const s = document.getElementById('language'); s.value = 'en'; s.dispatchEvent(new Event('change', { bubbles: true }));",
  );
  await session.waitFor("#connection-state", { accept: says("Online"), what: "the connection state in English again" });
});

async function signInAs(username) {
  await session.waitFor("#sign-in", { what: "the sign-in screen" });
  await fill("#server-url", serverUrl);
  await fill("#username", username);
  await fill("#password", "switchboard-demo");
  await session.click(await session.waitFor("#sign-in"));
  await session.waitFor("#connection-state", {
    accept: async (el) => (await session.attribute(el, "data-state")) === "online",
    what: `${username} online`,
  });
}

await step("an admin signs in on the same desk: agent board, key figures and a read-only review", async () => {
  await session.click(await session.waitFor("#sign-out"));
  await signInAs("admin");
  await session.click(await session.waitFor("#view-supervisor"));
  await session.waitFor("#supervisor-view .board-agent", { accept: hasText("Amal"), what: "Amal on the agent board" });
  // The customer's message and Amal's replies are in the figures of the last hours.
  await session.waitFor('.kpi-tile[data-kpi="inbound"] dd', {
    accept: async (el) => Number(await session.text(el)) >= 1,
    what: "customer messages counted in the key figures",
  });
  await session.waitFor("#kpi-agents .kpi-agent", { accept: hasText("Amal"), what: "Amal's row in the figures per agent" });
  // The board's rows are shown, not squeezed out of sight by the sections below them.
  const visible = await session.execute(`
    const row = document.querySelector('#supervisor-view .board-agent').getBoundingClientRect();
    const section = document.querySelector('#supervisor-view .board-agent').closest('section').getBoundingClientRect();
    return row.height > 0 && row.bottom <= section.bottom + 1;`);
  if (!visible) throw new Error("the agent board's rows are cut off");
  await saveScreenshot("supervisor");

  await session.click(await session.waitFor("#view-review"));
  await fill("#review-search", "سارة");
  await session.click(await session.waitFor(".review-result", { accept: hasText("سارة العتيبي"), what: "the conversation found for review" }));
  await session.waitFor('#review-conversation .message[data-direction="inbound"]', { accept: hasText(CUSTOMER_TEXT), what: "the reviewed message" });
  await session.waitFor("#review-readonly");
  const composers = await session.execute("return document.querySelectorAll('#review-view textarea, #review-view #composer').length");
  if (composers !== 0) throw new Error("the review of someone else's conversation offers a composer");
});

await step("the admin creates an agent in the admin screens, and the server has them", async () => {
  await session.click(await session.waitFor("#view-admin"));
  await session.waitFor('#admin-users .admin-user[data-role="agent"]', { accept: hasText("amal"), what: "amal in the user list" });
  await fill("#new-username", "nadia");
  await fill("#new-display-name", "نادية");
  await fill("#new-password", "nadia-password-1");
  await session.click(await session.waitFor("#create-user-submit"));
  await session.waitFor("#create-user-done", { what: "the confirmation" });
  await session.waitFor("#admin-users .admin-user", { accept: hasText("nadia"), what: "nadia in the user list" });
  await saveScreenshot("admin-users");
  const login = await fetch(`${serverUrl}/api/v1/login`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ username: "nadia", password: "nadia-password-1" }),
  });
  if (!login.ok) throw new Error(`the new agent cannot sign in: ${login.status}`);
});

await step("the admin writes an automatic reply and the test console shows it firing", async () => {
  await session.click(await session.waitFor("#admin-automation"));
  await session.click(await session.waitFor("#auto-reply-new"));
  await fill("#auto-reply-name", "Delivery times");
  await fill("#auto-reply-keywords", "توصيل");
  await fill("#auto-reply-text", "We deliver within 2 days.");
  await session.execute("document.getElementById('auto-reply-form').scrollIntoView();");
  await saveScreenshot("admin-auto-reply-form");
  await clickInView("#auto-reply-save");
  const outcome = await session.waitFor("#auto-replies .automation-rule, #auto-reply-error, #auto-reply-problems", {
    what: "the rule saved, or why not",
  });
  if (["auto-reply-error", "auto-reply-problems"].includes(await session.attribute(outcome, "id"))) {
    throw new Error(`the rule was not saved: ${await session.text(outcome)}`);
  }
  await session.waitFor("#auto-replies .automation-rule", { accept: hasText("Delivery times"), what: "the rule in the list" });
  await fill("#auto-reply-test-text", "متى التوصيل؟");
  await clickInView("#auto-reply-test-run");
  await session.waitFor('#auto-reply-test-result .automation-verdict[data-verdict="fires"]', {
    accept: hasText("Delivery times"),
    what: "the rule firing in the console",
  });
  await saveScreenshot("admin-auto-replies");
});

await step("the agent signs back in on the same desk and finds her conversation again", async () => {
  await session.click(await session.waitFor("#sign-out"));
  await signInAs("amal");
  await session.click(await session.waitFor(".inbox-item", { accept: hasText("سارة العتيبي"), what: "amal's conversation" }));
  await session.waitFor('.message[data-direction="outbound"][data-status="read"]', { accept: hasText("4521"), what: "her reply, read" });
});

await step("reopened with the server down, the app shows its cache and says it is offline", async () => {
  await session.end();
  process.kill(Number(process.env.SWITCHBOARD_E2E_SERVER_PID), "SIGKILL");
  session = await Session.start(driver, binary);
  await session.waitFor("#connection-state", {
    accept: async (el) => (await session.attribute(el, "data-state")) === "offline",
    what: "the offline indicator",
  });
  await session.waitFor("#offline-banner");
  await session.click(await session.waitFor(".inbox-item", { accept: hasText("سارة العتيبي"), what: "the cached conversation" }));
  await session.waitFor('.message[data-direction="inbound"]', { accept: hasText(CUSTOMER_TEXT), what: "the cached message" });
  await session.waitFor('.message[data-direction="outbound"][data-status="read"]', { accept: hasText("4521"), what: "the cached reply" });
  await saveScreenshot("offline-cache");
});

await step("offline, part of an Arabic sentence finds the cached message and opens its conversation", async () => {
  // Starts inside a word and runs across two: the cache index finds any substring.
  await fill("#search", "تى يصل طل");
  await session.waitFor("#search-results .search-hit mark", { accept: hasText("تى يصل طل"), what: "the highlighted match" });
  const hit = await session.waitFor("#search-results .search-hit", { accept: hasText("سارة العتيبي"), what: "the hit with its contact" });
  await saveScreenshot("search-offline");
  await session.click(hit);
  await session.waitFor('.message[data-direction="inbound"]', { accept: hasText(CUSTOMER_TEXT), what: "the message in its conversation" });
});

if (session) await session.end().catch(() => {});
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
