// Drives the real Switchboard desktop app: sign in, receive a simulated customer's message,
// see the CRM panel beside it, see a blocked phrase refused, confirm a warned one, reply, see the
// read ticks, tag and resolve the conversation, see the desk mirrored in Arabic, sign in as an
// admin on the same desk for the supervisor and admin screens (users, an automatic reply and its
// test console, contacts, a broadcast draft's preview, reports, API tokens, webhooks), then reopen
// offline on the cache. Prints "N passed, N failed".
import { writeFileSync } from "node:fs";
import { api, apiOk, signIn, signedWith, webhookReceiver } from "./integrations.mjs";
import { Session } from "./webdriver.mjs";

const binary = process.argv[2];
const driver = process.env.WEBDRIVER_URL;
const serverUrl = process.env.SWITCHBOARD_E2E_SERVER_URL;
const simUrl = process.env.SWITCHBOARD_E2E_SIM_URL;
const NUMBER = "107655329452912";
const CUSTOMER_TEXT = "مرحبا، متى يصل طلبي رقم 4521؟";
const REPLY = "Your order 4521 arrives on Monday. شكرا!";
/** Around when the customer wrote (before and after the simulator took it), for the report's heatmap. */
const customerWrote = [];

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

/** Accepts an element whose whole text is `expected` (a button's label, a figure). */
const labelled = (expected) => async (el) => (await session.text(el)).trim() === expected;

const ref = (el) => ({ "element-6066-11e4-a52e-4f735466cecf": el });

/** Scrolls an element into the middle of its panel and clicks it (see `clickInView`). */
async function clickElement(el) {
  await session.execute("arguments[0].scrollIntoView({ block: 'center' });", [ref(el)]);
  await session.click(el);
}

/** The current value of an input or select, as the user sees it. */
const valueOf = async (selector) => session.execute("return document.querySelector(arguments[0]).value", [selector]);

/** Picks `value` in a <select> once the option is there. Some WebKit builds leave a closed
 * <select> alone on an option click, so the value is set and the change event sent from a
 * script, as the Arabic step does for the language picker. */
async function choose(selector, value) {
  await session.waitFor(`${selector} option[value="${value}"]`, { what: `the choice "${value}" in ${selector}` });
  await session.execute(
    "const s = document.querySelector(arguments[0]); s.value = arguments[1]; s.dispatchEvent(new Event('change', { bubbles: true }));",
    [selector, value],
  );
  if ((await valueOf(selector)) !== value) throw new Error(`${selector} did not take "${value}"`);
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
  customerWrote.push(Date.now());
  const res = await fetch(`${simUrl}/sim/inbound`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ phone_number_id: NUMBER, from: "966501234567", name: "سارة العتيبي", text: CUSTOMER_TEXT }),
  });
  if (!res.ok) throw new Error(`simulator refused the message: ${res.status}`);
  customerWrote.push(Date.now());
  const item = await session.waitFor(".inbox-item", { accept: hasText("سارة العتيبي"), what: "the new conversation" });
  await session.click(item);
  await session.waitFor('.message[data-direction="inbound"]', { accept: hasText(CUSTOMER_TEXT), what: "the customer's message" });
});

await step("beside the conversation, the CRM panel shows what the shop's CRM knows of the customer", async () => {
  // The e2e server's [crm] asks the simulator's demo CRM, which knows this customer.
  await session.waitFor('#crm-panel[data-state="fresh"], #crm-panel[data-state="cached"]', { what: "the CRM's answer" });
  await session.waitFor("#crm-panel .crm-profile", { accept: hasText("platinum"), what: "her tier in the profile" });
  await session.waitFor('#crm-orders .crm-order[data-order-id="4521"]', { accept: hasText("out for delivery"), what: "order 4521 and its status" });
  const fields = await session.waitFor("#crm-fields", { accept: hasText("Loyalty points"), what: "the mapped custom fields" });
  const points = await session.execute(
    "const row = [...arguments[0].querySelectorAll('.crm-row')].find((r) => r.querySelector('dt').textContent === 'Loyalty points'); return row && row.querySelector('dd').textContent;",
    [ref(fields)],
  );
  if (points !== "5300") throw new Error(`the loyalty points read ${JSON.stringify(points)}, not the CRM's 5300`);
  await saveScreenshot("crm-panel");
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

await step("the admin finds a customer in Contacts, notes something on her profile and tags her", async () => {
  const admin = await signIn(serverUrl, "admin");
  // A second customer, added earlier by another admin, for the search to leave out.
  await apiOk(serverUrl, admin, "POST", "/contacts", { number: "+66 81 234 5678", name: "Somchai Jaidee" });
  await clickInView("#admin-contacts");
  await session.waitFor("#contacts .contact-row", { accept: hasText("Somchai Jaidee"), what: "the other customer in the list" });
  await fill("#contact-search", "سارة");
  const names = () => session.execute("return [...document.querySelectorAll('#contacts .contact-row-name')].map((n) => n.textContent)");
  await session.waitFor("#contacts", {
    accept: async () => JSON.stringify(await names()) === JSON.stringify(["سارة العتيبي"]),
    what: "only her left in the list",
  });
  const row = await session.waitFor("#contacts .contact-row", { accept: hasText("سارة العتيبي"), what: "her row" });
  const contactId = await session.attribute(row, "data-contact-id");
  await clickElement(row);
  await session.waitFor("#contact-profile-title", { accept: labelled("سارة العتيبي"), what: "her profile" });
  await fill("#contact-notes", "Prefers deliveries after 6 pm.");
  await clickInView("#contact-save");
  await session.waitFor("#contact-status", { accept: labelled("Profile saved."), what: "the profile saved" });
  // Tags are saved at once; \uE007 (Enter) puts the typed one on.
  await session.type(await session.waitFor("#contact-tag-input"), "wholesale\uE007");
  await session.waitFor('#contact-profile .tag-chip[data-tag="wholesale"]', { what: "the tag on her profile" });
  await session.waitFor(`#contacts .contact-row[data-contact-id="${contactId}"] .tag-chip[data-tag="wholesale"]`, { what: "the tag in her row" });
  await saveScreenshot("contacts");
  const stored = await apiOk(serverUrl, admin, "GET", `/contacts/${contactId}`);
  if (stored.notes !== "Prefers deliveries after 6 pm." || !stored.tags.includes("wholesale")) {
    throw new Error(`the server has notes ${JSON.stringify(stored.notes)} and tags ${JSON.stringify(stored.tags)}`);
  }
});

await step("the admin drafts a broadcast from a template to a segment and sees who it reaches and what it costs", async () => {
  const admin = await signIn(serverUrl, "admin");
  // Set up earlier by the admin: Meta's prices for Saudi Arabia, and a segment of the tag just given.
  await apiOk(serverUrl, admin, "PUT", "/rate-card", "Market,Currency,Marketing,Utility,Authentication\nSaudi Arabia,USD,0.0455,0.0115,0.0115\n", "text/csv");
  await apiOk(serverUrl, admin, "PUT", "/segments/Wholesale", { expression: "tag:wholesale", description: "Shops that buy in bulk" });
  const sentBefore = (await (await fetch(`${simUrl}/sim/sent`)).json()).length;
  await clickInView("#admin-broadcasts");
  await clickInView("#broadcast-new");
  await fill("#broadcast-name", "Shipping update");
  await choose("#broadcast-segment", "Wholesale");
  await session.waitFor('#broadcast-audience-count[data-count="1"]', { what: "the segment counted: one contact" });
  await choose("#broadcast-template", "order_update|en_US");
  await session.waitFor(".broadcast-template-body", { accept: hasText("your order {{2}} has shipped"), what: "the template's text" });
  // {{1}} takes the contact's name (the default source); {{2}} a fixed order number.
  await choose("#broadcast-parameter-2-source", "fixed");
  await fill("#broadcast-parameter-2-text", "4521");
  await clickElement(await session.waitFor("#broadcast-composer .broadcast-numbers label", { accept: hasText(NUMBER), what: "the number to send from" }));
  await clickInView("#broadcast-save");
  const outcome = await session.waitFor("#broadcast-preview, #broadcast-error", { what: "the draft saved, or why not" });
  if ((await session.attribute(outcome, "id")) === "broadcast-error") throw new Error(`the draft was not saved: ${await session.text(outcome)}`);
  await session.waitFor('#broadcasts .broadcast-row[data-state="draft"]', { accept: hasText("Shipping update"), what: "the draft in the list" });
  await session.waitFor('#broadcast-preview-recipients[data-count="1"]', { what: "one recipient in the preview" });
  await session.waitFor("#broadcast-preview-cost", { accept: hasText("0.0115"), what: "the cost by the rate card's utility price" });
  await session.waitFor("#broadcast-sample", { accept: labelled("Hi سارة العتيبي, your order 4521 has shipped."), what: "the message as she would read it" });
  await session.execute("document.getElementById('broadcast-preview').scrollIntoView({ block: 'start' });");
  await saveScreenshot("broadcast-preview");
  const sentAfter = (await (await fetch(`${simUrl}/sim/sent`)).json()).length;
  if (sentAfter !== sentBefore) throw new Error(`a draft sent ${sentAfter - sentBefore} messages`);
});

await step("the Reports view shows today's figures and the customer's hour on the heatmap", async () => {
  await session.click(await session.waitFor("#view-reports"));
  await session.waitFor("#reports-view");
  await choose("#report-period", "today");
  const today = await session.execute(
    "const d = new Date(); return [d.getFullYear(), String(d.getMonth() + 1).padStart(2, '0'), String(d.getDate()).padStart(2, '0')].join('-');",
  );
  await session.waitFor("#report-to", {
    accept: async () => (await valueOf("#report-from")) === today && (await valueOf("#report-to")) === today,
    what: "the period set to today",
  });
  // This suite's customer wrote once.
  await session.waitFor('#report-totals .report-tile[data-figure="messages"] .report-tile-value', { accept: labelled("1"), what: "one customer message today" });
  await session.waitFor('#report-totals .report-tile[data-figure="conversations"] .report-tile-value', { accept: labelled("1"), what: "one conversation today" });
  await session.waitFor("#report-heatmap td[data-count]", { what: "the heatmap" });
  const heat = await session.execute(
    `const cell = (ms) => { const d = new Date(ms); return document.querySelector('#report-heatmap tr[data-weekday="' + (d.getDay() || 7) + '"] td[data-hour="' + d.getHours() + '"]'); };
     const total = [...document.querySelectorAll('#report-heatmap td[data-count]')].reduce((sum, td) => sum + Number(td.dataset.count), 0);
     return { total, around: arguments[0].map((ms) => Number(cell(ms)?.dataset.count ?? -1)) };`,
    [customerWrote],
  );
  if (heat.total !== 1 || !heat.around.some((count) => count === 1)) {
    throw new Error(`the heatmap does not show the one message at the hour she wrote: ${JSON.stringify(heat)}`);
  }
  await saveScreenshot("reports");
});

await step("the admin creates an API token, sees its secret once, and revoking it locks the other system out", async () => {
  await session.click(await session.waitFor("#view-admin"));
  await clickInView("#admin-tokens");
  await clickInView("#api-token-new");
  await fill("#api-token-name", "Order system");
  await clickInView("#api-token-permission-view_reports");
  await clickElement(await session.waitFor("#api-token-create", { accept: (el) => session.enabled(el), what: "an enabled Create button" }));
  const shown = await session.waitFor("#api-token-secret code", { what: "the new token's secret" });
  const secret = (await session.text(shown)).trim();
  const me = await api(serverUrl, secret, "GET", "/me");
  if (me.status !== 200 || me.body.username !== "api-token:Order system") throw new Error(`the secret does not work: ${me.status} ${JSON.stringify(me.body)}`);
  await saveScreenshot("api-token-secret");
  await clickElement(await session.waitFor("#api-token-secret button", { accept: labelled("I have stored it"), what: "the button that puts the secret away" }));
  const row = await session.waitFor("#api-token-list tr.api-token", { accept: hasText("Order system"), what: "the token in the list" });
  if (!(await session.text(row)).includes(secret.slice(0, 8))) throw new Error("the list does not show the token's prefix");
  if (await session.execute("return document.body.textContent.includes(arguments[0])", [secret])) throw new Error("the secret is still on screen");
  const tokenRow = `#api-token-list tr[data-token-id="${await session.attribute(row, "data-token-id")}"]`;
  await clickElement(await session.waitFor(`${tokenRow} button`, { accept: labelled("Revoke"), what: "Revoke" }));
  await clickElement(await session.waitFor(`${tokenRow} [role="alertdialog"] button`, { accept: labelled("Revoke token"), what: "the confirmation" }));
  await session.waitFor("#api-token-notice", { accept: labelled("The token was revoked."), what: "the token revoked" });
  const refused = await api(serverUrl, secret, "GET", "/me");
  if (refused.status !== 401) throw new Error(`a revoked token still gets ${refused.status}`);
});

await step("the admin subscribes a receiver to webhooks, and its test ping arrives signed with the secret shown", async () => {
  const receiver = await webhookReceiver();
  try {
    await clickInView("#admin-webhooks");
    await clickInView("#webhook-new");
    await fill("#webhook-url", receiver.url);
    await fill("#webhook-description", "Order system");
    await clickElement(await session.waitFor("#webhook-form .admin-webhook-events label", { accept: hasText("conversation.resolved"), what: "the resolved event" }));
    await clickElement(await session.waitFor("#webhook-save", { accept: (el) => session.enabled(el), what: "an enabled Save button" }));
    const outcome = await session.waitFor("#webhook-secret code, #webhook-error", { what: "the subscription saved, or why not" });
    const secret = (await session.text(outcome)).trim();
    if (!secret.startsWith("whsec_")) throw new Error(`the subscription was not saved: ${secret}`);
    const row = await session.waitFor("#webhook-list tr.webhook-subscription", { accept: hasText(receiver.url), what: "the subscription in the list" });
    const id = await session.attribute(row, "data-subscription-id");
    await clickElement(await session.waitFor(`#webhook-list tr[data-subscription-id="${id}"] button`, { accept: labelled("Send a test"), what: "Send a test" }));
    await session.waitFor("#webhook-notice", { accept: labelled("The receiver accepted the test ping (200)."), what: "the ping delivered" });
    await saveScreenshot("webhooks");
    const pings = receiver.received.filter((r) => r.headers["x-switchboard-event"] === "ping");
    if (pings.length !== 1) throw new Error(`the receiver got ${pings.length} pings`);
    if (!signedWith(secret, pings[0].headers["x-switchboard-signature"], pings[0].body)) throw new Error("the ping is not signed with the secret shown");
    const payload = JSON.parse(pings[0].body);
    if (payload.type !== "ping" || String(payload.data?.subscription_id) !== id) throw new Error(`the ping says ${pings[0].body}`);
  } finally {
    await receiver.close();
  }
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
