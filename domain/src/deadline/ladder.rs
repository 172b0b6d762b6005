//! The warning ladder (docs/rules.md, rule 6): which rung a clock stands on.

use serde::{Deserialize, Serialize};

use super::{DEPARTMENT_WARNING_DAYS, HANDLER_WARNING_DAYS, SUPERVISION_WARNING_DAYS};

/// A rung of the warning ladder (rule 6).
#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum WarningLevel {
    /// 7 working days left: the handler.
    Handler,
    /// 5 left: the department.
    Department,
    /// 3 left, then every day until decided, overdue included: the department and its
    /// supervisor (督办).
    Supervision,
}

impl WarningLevel {
    pub fn as_str(self) -> &'static str {
        match self {
            WarningLevel::Handler => "handler",
            WarningLevel::Department => "department",
            WarningLevel::Supervision => "supervision",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        [
            WarningLevel::Handler,
            WarningLevel::Department,
            WarningLevel::Supervision,
        ]
        .into_iter()
        .find(|l| l.as_str() == s)
    }

    pub fn label(self) -> &'static str {
        match self {
            WarningLevel::Handler => "预警（提醒承办人）",
            WarningLevel::Department => "预警（提醒部门）",
            WarningLevel::Supervision => "督办通知",
        }
    }

    /// Whether it is raised again every day (otherwise once per due date).
    pub fn daily(self) -> bool {
        matches!(self, WarningLevel::Supervision)
    }
}

/// The rung a running clock with `days_left` stands on: the most severe that applies, so a
/// case found late gets the supervision notice, not a handler's reminder first.
pub fn warning_level(days_left: i64) -> Option<WarningLevel> {
    match days_left {
        d if d <= SUPERVISION_WARNING_DAYS => Some(WarningLevel::Supervision),
        d if d <= DEPARTMENT_WARNING_DAYS => Some(WarningLevel::Department),
        d if d <= HANDLER_WARNING_DAYS => Some(WarningLevel::Handler),
        _ => None,
    }
}
