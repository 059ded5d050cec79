//! The approved templates agents may send, from `[[templates]]` in the settings: after the
//! 24-hour window only a template reaches the customer, so the desk offers these.

use super::language::say;
use super::{ApiFailure, AuthUser};
use crate::AppState;
use axum::extract::{Query, State};
use axum::Json;
use serde::Deserialize;
use std::sync::Arc;
use switchboard_protocol::TemplateSummary;

#[derive(Debug, Deserialize)]
pub struct TemplateQuery {
    /// A phone_number_id: only the templates that number may send.
    #[serde(default)]
    number: Option<String>,
}

/// How many `{{n}}` placeholders a body has, counted as Meta does: 1, 2, … without gaps.
pub fn placeholders(body: &str) -> u32 {
    (1..=100)
        .take_while(|i| body.contains(&format!("{{{{{i}}}}}")))
        .count() as u32
}

pub async fn list(
    State(state): State<Arc<AppState>>,
    _caller: AuthUser,
    Query(query): Query<TemplateQuery>,
) -> Result<Json<Vec<TemplateSummary>>, ApiFailure> {
    if let Some(number) = &query.number {
        if !state.known_numbers.contains(number) {
            return Err(ApiFailure::not_found(say!(
                en: "Business number {number} is not configured on this server.",
                ar: "رقم الأعمال {number} غير مُعدّ على هذا الخادم.",
                th: "หมายเลขธุรกิจ {number} ไม่ได้ตั้งค่าไว้บนเซิร์ฟเวอร์นี้",
            )));
        }
    }
    let list = state
        .settings
        .templates
        .iter()
        .filter(|t| {
            query
                .number
                .as_ref()
                .is_none_or(|n| t.numbers.is_empty() || t.numbers.contains(n))
        })
        .map(|t| TemplateSummary {
            name: t.name.clone(),
            language: t.language.clone(),
            category: t.category.clone(),
            body: t.body.clone(),
            parameters: placeholders(&t.body),
        })
        .collect();
    Ok(Json(list))
}

#[cfg(test)]
mod tests {
    #[test]
    fn placeholders_are_counted_without_gaps() {
        assert_eq!(super::placeholders("Hi {{1}}, order {{2}} shipped"), 2);
        assert_eq!(super::placeholders("No parameters"), 0);
        assert_eq!(super::placeholders("Only {{2}}"), 0);
    }
}
