//! Customer details hidden from roles without the right to see them. The server masks them in
//! every REST answer and every sync event it sends such a user, so they never reach that
//! desktop's cache at all.

use crate::access::Access;
use crate::settings::{MaskedField, PrivacySettings};
use std::borrow::Cow;
use switchboard_domain::{Conversation, Permission};
use switchboard_protocol::{EventEnvelope, SyncEvent};

/// The masking rules in force. Who sees details in full is the
/// [`Permission::SeeUnmaskedNumbers`] permission (for built-in roles, the `unmasked_roles`
/// setting grants it).
#[derive(Debug, Clone)]
pub struct Privacy {
    fields: Vec<MaskedField>,
}

impl Privacy {
    pub fn new(settings: &PrivacySettings) -> Self {
        Privacy {
            fields: settings.masked_fields.clone(),
        }
    }

    /// Whether the holder of `access` sees masked customer details.
    pub fn masks_for(&self, access: &Access) -> bool {
        !self.fields.is_empty() && !access.may(Permission::SeeUnmaskedNumbers)
    }

    /// Masks the customer details of `conversation` for the holder of `access`.
    pub fn conversation(&self, access: &Access, conversation: &mut Conversation) {
        if !self.masks_for(access) {
            return;
        }
        let contact = &mut conversation.contact;
        for field in &self.fields {
            let value = match field {
                MaskedField::Phone => &mut contact.wa_id,
                MaskedField::Name => &mut contact.name,
                MaskedField::UserId => &mut contact.user_id,
            };
            if let Some(value) = value {
                *value = mask(value);
            }
        }
    }

    /// Masks a broadcast recipient's number and name for the holder of `access`.
    pub fn recipient(
        &self,
        access: &Access,
        recipient: &mut switchboard_protocol::BroadcastRecipient,
    ) {
        if !self.masks_for(access) {
            return;
        }
        for field in &self.fields {
            let value = match field {
                MaskedField::Phone => &mut recipient.wa_id,
                MaskedField::Name => &mut recipient.name,
                MaskedField::UserId => continue,
            };
            if let Some(value) = value {
                *value = mask(value);
            }
        }
    }

    /// Masks a contact profile's customer details for the holder of `access`.
    pub fn contact(&self, access: &Access, contact: &mut switchboard_protocol::ContactProfile) {
        if !self.masks_for(access) {
            return;
        }
        for field in &self.fields {
            let value = match field {
                MaskedField::Phone => &mut contact.wa_id,
                MaskedField::Name => &mut contact.name,
                MaskedField::UserId => &mut contact.user_id,
            };
            if let Some(value) = value {
                *value = mask(value);
            }
        }
    }

    /// Whether the holder of `access` sees `field` masked (then they may not search by it
    /// either).
    pub fn hides(&self, access: &Access, field: MaskedField) -> bool {
        self.masks_for(access) && self.fields.contains(&field)
    }

    /// Masks `conversations` for the holder of `access`.
    pub fn conversations(&self, access: &Access, conversations: &mut [Conversation]) {
        for conversation in conversations {
            self.conversation(access, conversation);
        }
    }

    /// `envelope` as the holder of `access` may see it.
    pub fn envelope<'a>(
        &self,
        access: &Access,
        envelope: &'a EventEnvelope,
    ) -> Cow<'a, EventEnvelope> {
        match &envelope.event {
            SyncEvent::ConversationUpserted { conversation } if self.masks_for(access) => {
                let mut conversation = conversation.clone();
                self.conversation(access, &mut conversation);
                Cow::Owned(EventEnvelope {
                    seq: envelope.seq,
                    event: SyncEvent::ConversationUpserted { conversation },
                })
            }
            _ => Cow::Borrowed(envelope),
        }
    }
}

/// `value` with all but a few characters at each end replaced by `•`: enough to tell two
/// customers apart on a call, not enough to dial them. Short values keep one at each end.
pub fn mask(value: &str) -> String {
    let chars: Vec<char> = value.chars().collect();
    let keep = match chars.len() {
        0..=2 => 0,
        3..=7 => 1,
        _ => 3,
    };
    chars
        .iter()
        .enumerate()
        .map(|(i, c)| {
            if i < keep || i >= chars.len() - keep {
                *c
            } else {
                '•'
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn phone_numbers_keep_only_their_ends() {
        assert_eq!(mask("66812345678"), "668•••••678");
        assert_eq!(mask("Somchai"), "S•••••i");
        assert_eq!(mask("ab"), "••");
        assert_eq!(mask("مريم"), "م••م");
    }

    proptest! {
        /// A masked value never shows more than six of its characters, and keeps its length.
        #[test]
        fn masking_hides_the_middle(value in "\\PC{0,40}") {
            let masked = mask(&value);
            prop_assert_eq!(masked.chars().count(), value.chars().count());
            let shown = masked.chars().zip(value.chars()).filter(|(m, v)| m == v && *m != '•').count();
            prop_assert!(shown <= 6);
            if value.chars().count() >= 8 {
                prop_assert!(shown * 2 <= value.chars().count() + 4);
            }
        }
    }
}
