//! Switchboard's domain vocabulary: users and roles, conversations, messages and delivery states.
//! These types travel unchanged between server, desktop core and the UI; `cargo test` exports
//! them to `ui/src/bindings` with ts-rs so the TypeScript side never drifts.

mod body;
mod calendar;
mod contact_card;
mod content_rules;
mod conversation;
mod interactive;
mod location;
mod message;
mod outbound;
mod permission;
mod phone;
mod user;

pub use body::{MediaKind, MessageBody, MessageContext, OrderItem, Referral, SharedContact};
pub use calendar::{
    BusinessHours, Calendar, CalendarError, Closure, HolidayCalendar, OpenState, Opening,
    SEARCH_DAYS,
};
pub use contact_card::{ContactCard, ContactEmail, ContactName, ContactOrg, ContactPhone};
pub use content_rules::{ContentProblem, TextPart, MAX_TEXT_CHARS};
pub use conversation::{ContactSummary, Conversation, ConversationStatus};
pub use interactive::{ListRow, ListSection};
pub use message::{DeliveryStatus, Direction, MediaState, MediaStatus, Message};
pub use outbound::{OutboundContent, ReplyButton, TemplateHeader};
pub use permission::Permission;
pub use phone::{country_of_wa_id, normalize_phone, Phone, PhoneError};
pub use user::{Role, UserProfile};

/// Milliseconds since the Unix epoch, the one timestamp unit used across Switchboard.
pub type Millis = i64;

/// The current time in [`Millis`].
pub fn now_millis() -> Millis {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis() as i64)
        .unwrap_or_default()
}
