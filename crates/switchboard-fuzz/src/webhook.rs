//! The webhook payload parser under libFuzzer: whatever bytes arrive at the webhook endpoint,
//! checking their signature and parsing them never panics, and a payload that parses is
//! written back (as Meta writes JSON) and read again to the same value, so what the server
//! stores and replays is what it was sent.
//!
//! Run it with `./switchboard fuzz [SECONDS]`, which builds it with coverage instrumentation;
//! built without, it still runs, but blindly.

#![no_main]

use libfuzzer_sys::fuzz_target;
use switchboard_whatsapp::encoding::to_meta_json;
use switchboard_whatsapp::signature;
use switchboard_whatsapp::webhook::WebhookPayload;

fuzz_target!(|data: &[u8]| {
    // The header comes from outside too: any text, checked against any body.
    let header = String::from_utf8_lossy(data);
    let _ = signature::verify("app-secret", data, &header);

    let Ok(payload) = serde_json::from_slice::<WebhookPayload>(data) else {
        return;
    };
    for change in payload.entry.iter().flat_map(|entry| &entry.changes) {
        for message in &change.value.messages {
            let _ = (message.display_text(), message.timestamp_secs());
        }
        for status in &change.value.statuses {
            for error in &status.errors {
                let _ = error.explanation();
            }
        }
    }
    let written = to_meta_json(&payload);
    let again: WebhookPayload =
        serde_json::from_slice(&written).expect("a parsed payload, written back, parses");
    assert_eq!(again, payload, "a parsed payload reads back the same");
});
