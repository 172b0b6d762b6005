//! Who takes an action, as the history records it.

use crate::domain::case::{ActorKind, Channel};
use crate::views::review::StaffInfo;

/// Who takes an action, and through which channel.
#[derive(Clone, Debug)]
pub struct Actor {
    pub kind: ActorKind,
    pub staff_id: Option<i32>,
    /// The name the history shows (a staff member's with their role).
    pub name: String,
    pub channel: Channel,
}

impl Actor {
    /// A staff member at the window.
    pub fn staff(me: &StaffInfo) -> Self {
        Self::staff_named(me.id, format!("{}（{}）", me.name, me.role_label))
    }

    /// A staff member known by id and name only (in-hall intake).
    pub fn staff_named(staff_id: i32, name: String) -> Self {
        Actor {
            kind: ActorKind::Staff,
            staff_id: Some(staff_id),
            name,
            channel: Channel::Window,
        }
    }

    /// The applicant, online.
    pub fn applicant(name: String) -> Self {
        Actor {
            kind: ActorKind::Applicant,
            staff_id: None,
            name,
            channel: Channel::Online,
        }
    }

    /// The server itself (the five-day rule).
    pub fn system() -> Self {
        Actor {
            kind: ActorKind::System,
            staff_id: None,
            name: "系统".into(),
            channel: Channel::System,
        }
    }
}
