//! A desktop data folder as a signed-in agent leaves it: 10,000 cached conversations (names and
//! previews in English, Arabic and Thai, so the web view loads the fonts a real desk needs), the
//! last message of each, and the session token in the private file the app falls back to when
//! no keychain answers. The server it names is a closed port, so the app starts offline and
//! shows the cache.

use std::path::Path;
use switchboard_domain::*;
use switchboard_store::Store;

pub const AGENT_ID: i64 = 7;

const NAMES: &[&str] = &[
    "Sheena Patel",
    "Omar Haddad",
    "سارة الأحمد",
    "Niran Chai",
    "สมชาย ใจดี",
    "Lena Fischer",
    "خالد المنصور",
    "Priya Nair",
];

const PREVIEWS: &[&str] = &[
    "Hello, where is my order? It was supposed to arrive on Monday.",
    "I would like a refund for the blender, it arrived broken.",
    "Can I change the delivery address for my order?",
    "مرحبا، متى يصل طلبي؟",
    "أريد استرجاع الأموال لأن المنتج وصل مكسوراً",
    "สวัสดีค่ะ อยากทราบสถานะการสั่งซื้อค่ะ",
    "ขอเปลี่ยนที่อยู่จัดส่งได้ไหมครับ",
    "Thanks, that solved it!",
];

fn conversation(id: i64, at: i64) -> Conversation {
    let pick = |items: &[&'static str]| items[(id as usize * 7 + 3) % items.len()];
    Conversation {
        id,
        phone_number_id: "106540352242922".into(),
        business_number: "+15550783881".into(),
        business_name: "Support EN".into(),
        contact: ContactSummary {
            id,
            wa_id: Some(format!("1650555{id:04}")),
            user_id: None,
            name: Some(format!("{} {id}", pick(NAMES))),
        },
        // A desk keeps what it resolved too; one in five here.
        status: if id % 5 == 0 {
            ConversationStatus::Resolved
        } else {
            ConversationStatus::Open
        },
        assigned_user_id: Some(AGENT_ID),
        assigned_user_name: Some("Amal".into()),
        last_message_at: at,
        last_message_preview: pick(PREVIEWS).into(),
        last_inbound_at: Some(at),
        priority: 0,
        tags: if id % 9 == 0 {
            vec!["vip".into()]
        } else {
            Vec::new()
        },
        team_id: None,
        team_name: None,
        queued_at: None,
        assigned_at: Some(at),
        sla_due_at: None,
        snoozed_until: None,
    }
}

fn last_message(conversation: &Conversation) -> Message {
    let id = conversation.id;
    let text = conversation.last_message_preview.clone();
    Message {
        key: Message::server_key(id),
        id: Some(id),
        conversation_id: id,
        direction: Direction::Inbound,
        wamid: Some(format!("wamid.{id}")),
        kind: "text".into(),
        body: MessageBody::Text { body: text.clone() },
        text,
        context: None,
        media: None,
        status: DeliveryStatus::Received,
        error: None,
        sender_user_id: None,
        sender_name: None,
        created_at: conversation.last_message_at,
    }
}

/// Fills `dir` with `count` conversations of a signed-in agent whose server is `server_url`.
pub fn seed(dir: &Path, count: i64, server_url: &str) {
    std::fs::create_dir_all(dir).expect("the data folder");
    let store = Store::open(&dir.join("cache.db")).expect("the cache opens");
    let now = now_millis();
    // Newest first, a minute apart: the first page is today's, the end of the list months old.
    let conversations: Vec<Conversation> = (1..=count)
        .map(|id| conversation(id, now - id * 60_000))
        .collect();
    store.upsert_conversations(&conversations).unwrap();
    let messages: Vec<Message> = conversations.iter().map(last_message).collect();
    store.apply_messages(&messages).unwrap();
    store.set_meta("server_url", &server_url).unwrap();
    let user = UserProfile::builtin(AGENT_ID, "amal", "Amal", Role::Agent);
    store.set_meta("user", &user).unwrap();
    drop(store);
    // The same file and shape the desktop's credential store writes without a keychain.
    let token = serde_json::json!({
        "server_url": server_url,
        "username": user.username,
        "token": "sb_bench_token",
    });
    let path = dir.join("session-token.json");
    std::fs::write(&path, token.to_string()).expect("the token file");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600)).unwrap();
    }
}

/// A loopback URL nothing listens on: connecting is refused at once.
pub fn closed_server_url() -> String {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("a free port");
    let port = listener.local_addr().unwrap().port();
    drop(listener);
    format!("http://127.0.0.1:{port}")
}
