//! Contact cards a business shares, in the shape of Meta's `contacts` message: a name with the
//! full name to show, phones (optionally with the WhatsApp id to chat with), emails and a company.

use crate::content_rules::ContentProblem;
use crate::SharedContact;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// One contact card.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ContactCard {
    pub name: ContactName,
    #[serde(default)]
    pub phones: Vec<ContactPhone>,
    #[serde(default)]
    pub emails: Vec<ContactEmail>,
    #[serde(default)]
    pub org: Option<ContactOrg>,
}

/// The name on a card; WhatsApp shows `formatted_name`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ContactName {
    pub formatted_name: String,
    #[serde(default)]
    pub first_name: Option<String>,
    #[serde(default)]
    pub last_name: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ContactPhone {
    pub phone: String,
    /// Meta's phone type, for example `HOME`, `WORK` or `CELL`.
    #[serde(default, rename = "type")]
    pub kind: Option<String>,
    /// The WhatsApp id behind the number, so the customer gets a "Message" button.
    #[serde(default)]
    pub wa_id: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ContactEmail {
    pub email: String,
    /// `HOME` or `WORK`.
    #[serde(default, rename = "type")]
    pub kind: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ContactOrg {
    #[serde(default)]
    pub company: Option<String>,
    #[serde(default)]
    pub department: Option<String>,
    #[serde(default)]
    pub title: Option<String>,
}

/// Meta's send schema allows one to five cards per message.
const MAX_CARDS: usize = 5;

impl ContactCard {
    /// Every text on the card the customer will read.
    pub(crate) fn texts(&self) -> impl Iterator<Item = &str> {
        let org = self.org.iter().flat_map(|o| {
            [&o.company, &o.department, &o.title]
                .into_iter()
                .flatten()
                .map(String::as_str)
        });
        std::iter::once(self.name.formatted_name.as_str())
            .chain(self.phones.iter().map(|p| p.phone.as_str()))
            .chain(self.emails.iter().map(|e| e.email.as_str()))
            .chain(org)
    }

    /// The same texts as [`ContactCard::texts`], to rewrite them (for example to mask words).
    pub(crate) fn texts_mut(&mut self) -> Vec<&mut String> {
        let mut out = vec![&mut self.name.formatted_name];
        out.extend(self.phones.iter_mut().map(|p| &mut p.phone));
        out.extend(self.emails.iter_mut().map(|e| &mut e.email));
        if let Some(org) = &mut self.org {
            out.extend(
                [&mut org.company, &mut org.department, &mut org.title]
                    .into_iter()
                    .flatten(),
            );
        }
        out
    }

    /// The card as the conversation shows it.
    pub(crate) fn shared(&self) -> SharedContact {
        SharedContact {
            formatted_name: self.name.formatted_name.clone(),
            phones: self.phones.iter().map(|p| p.phone.clone()).collect(),
            emails: self.emails.iter().map(|e| e.email.clone()).collect(),
            organization: self.org.as_ref().and_then(|o| o.company.clone()),
        }
    }
}

/// What is wrong with a set of contact cards, if anything.
pub(crate) fn contacts_problem(cards: &[ContactCard]) -> Option<ContentProblem> {
    if cards.is_empty() || cards.len() > MAX_CARDS {
        return Some(ContentProblem::ContactCardCount {
            max: MAX_CARDS,
            count: cards.len(),
        });
    }
    for (index, card) in cards.iter().enumerate() {
        let number = index + 1;
        if card.name.formatted_name.trim().is_empty() {
            return Some(ContentProblem::ContactNameMissing { card: number });
        }
        if card.phones.iter().any(|p| p.phone.trim().is_empty()) {
            return Some(ContentProblem::ContactPhoneEmpty { card: number });
        }
        if let Some(email) = card.emails.iter().find(|e| {
            let (user, domain) = e.email.trim().split_once('@').unwrap_or_default();
            user.is_empty() || domain.is_empty()
        }) {
            return Some(ContentProblem::ContactEmailInvalid {
                card: number,
                email: email.email.clone(),
            });
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn card(name: &str) -> ContactCard {
        ContactCard {
            name: ContactName {
                formatted_name: name.into(),
                first_name: None,
                last_name: None,
            },
            phones: vec![ContactPhone {
                phone: "+1 (940) 555-1234".into(),
                kind: Some("HOME".into()),
                wa_id: Some("19405551234".into()),
            }],
            emails: vec![ContactEmail {
                email: "john@example.com".into(),
                kind: None,
            }],
            org: None,
        }
    }

    #[test]
    fn each_contact_card_rule_can_fail() {
        use ContentProblem as P;
        assert_eq!(contacts_problem(&[card("John Smith")]), None);
        assert_eq!(contacts_problem(&vec![card("A"); 5]), None);
        assert_eq!(
            contacts_problem(&[]),
            Some(P::ContactCardCount { max: 5, count: 0 })
        );
        assert_eq!(
            contacts_problem(&vec![card("A"); 6]),
            Some(P::ContactCardCount { max: 5, count: 6 })
        );
        assert_eq!(
            contacts_problem(&[card("A"), card(" ")]),
            Some(P::ContactNameMissing { card: 2 })
        );
        let mut no_phone = card("A");
        no_phone.phones[0].phone = "".into();
        assert_eq!(
            contacts_problem(&[no_phone]),
            Some(P::ContactPhoneEmpty { card: 1 })
        );
        for bad in ["john", "@example.com", "john@", ""] {
            let mut card = card("A");
            card.emails[0].email = bad.into();
            assert_eq!(
                contacts_problem(&[card]),
                Some(P::ContactEmailInvalid {
                    card: 1,
                    email: bad.into()
                }),
                "{bad} should be refused"
            );
        }
    }

    #[test]
    fn cards_show_their_name_numbers_and_company() {
        let mut card = card("John Smith");
        card.org = Some(ContactOrg {
            company: Some("WhatsApp".into()),
            ..ContactOrg::default()
        });
        let shared = card.shared();
        assert_eq!(shared.formatted_name, "John Smith");
        assert_eq!(shared.phones, vec!["+1 (940) 555-1234"]);
        assert_eq!(shared.organization.as_deref(), Some("WhatsApp"));
        let texts: Vec<&str> = card.texts().collect();
        assert_eq!(
            texts,
            vec![
                "John Smith",
                "+1 (940) 555-1234",
                "john@example.com",
                "WhatsApp"
            ]
        );
    }
}
