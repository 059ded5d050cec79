//! The WhatsApp Business Cloud API as it is on the wire: webhook payloads, Graph API send
//! requests and responses, Graph error bodies, the `X-Hub-Signature-256` HMAC, and Meta's
//! ASCII-escaped JSON encoding. Shared by the server's connector and the simulator so both
//! speak exactly one definition of the format.

pub mod encoding;
#[cfg(feature = "graph")]
pub mod graph;
pub mod limits;
pub mod signature;
pub mod webhook;

#[cfg(feature = "graph")]
pub use graph::{GraphClient, GraphError};

/// The Graph API version Switchboard speaks unless configured otherwise.
pub const DEFAULT_GRAPH_VERSION: &str = "v23.0";
