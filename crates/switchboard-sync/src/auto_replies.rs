//! Keyword auto-replies from the desk (rule managers): load the rule list, save it whole, and
//! run the server's test console. Thin calls: the server compiles the list and refuses one
//! that cannot work with a message naming the rule, which reaches the admin unchanged.

use crate::error::SyncError;
use crate::Workstation;
use reqwest::Method;
use switchboard_protocol::{AutoReplyRules, AutoReplyTestReport, TestAutoReplyRequest};

/// The list as the admin meant it: names and numbers trimmed, blank keywords and numbers
/// dropped. Keywords keep their inner spacing; outside regular-expression mode the server
/// ignores spacing at their edges anyway, and in that mode a space may be part of the pattern.
fn tidy(mut list: AutoReplyRules) -> AutoReplyRules {
    for rule in &mut list.rules {
        rule.name = rule.name.trim().to_owned();
        rule.numbers = rule
            .numbers
            .iter()
            .map(|number| number.trim().to_owned())
            .filter(|number| !number.is_empty())
            .collect();
        rule.keywords.retain(|keyword| !keyword.trim().is_empty());
    }
    list
}

impl Workstation {
    /// Every keyword auto-reply rule, in the order saved.
    pub async fn auto_replies(&self) -> Result<AutoReplyRules, SyncError> {
        self.call_signed_in::<(), _>(Method::GET, "/auto-replies", None)
            .await
    }

    /// Replaces every rule with `rules`; answers with the list as saved. Refused whole, with
    /// the server's message naming the rule to fix, when one cannot work.
    pub async fn save_auto_replies(
        &self,
        rules: AutoReplyRules,
    ) -> Result<AutoReplyRules, SyncError> {
        self.call_signed_in(Method::PUT, "/auto-replies", Some(&tidy(rules)))
            .await
    }

    /// The test console: which saved rules would answer a text on a number, and why each
    /// other rule would not.
    pub async fn test_auto_replies(
        &self,
        request: TestAutoReplyRequest,
    ) -> Result<AutoReplyTestReport, SyncError> {
        self.call_signed_in(Method::POST, "/auto-replies/test", Some(&request))
            .await
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn blank_keywords_and_numbers_are_dropped_and_the_rest_kept_as_written() {
        let list: AutoReplyRules = serde_json::from_value(json!({ "rules": [{
            "id": 1, "name": "  Prices ", "numbers": [" 1001 ", "", "  "],
            "keywords": ["price", "  ", "", " سعر ", "a  b"], "mode": "regex",
            "reply": { "type": "text", "text": " Our prices " },
        }] }))
        .unwrap();
        let rule = &tidy(list).rules[0];
        assert_eq!(rule.name, "Prices");
        assert_eq!(rule.numbers, ["1001"]);
        assert_eq!(rule.keywords, ["price", " سعر ", "a  b"]);
        assert_eq!(
            serde_json::to_value(&rule.reply).unwrap(),
            json!({ "type": "text", "text": " Our prices " }),
            "the reply is sent as written"
        );
    }
}
