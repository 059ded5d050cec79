//! What each IPC command does: a thin call into the workstation core. One file per part of the
//! desk; `commands.rs` lists the commands and calls them as `handlers::<name>`.

mod administration;
mod api_tokens;
mod automation;
mod broadcasts;
mod contacts;
mod desk;
mod records;
mod reports;
mod session;
mod webhooks;

pub use administration::*;
pub use api_tokens::*;
pub use automation::*;
pub use broadcasts::*;
pub use contacts::*;
pub use desk::*;
pub use records::*;
pub use reports::*;
pub use session::*;
pub use webhooks::*;
