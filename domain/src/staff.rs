//! Who works at the hall and what each role may do (docs/rules.md, rule 10: staff see only
//! their own department's cases; administrators see none).

use crate::labels::labelled_enum;

labelled_enum! {
    /// What a staff member is.
    StaffRole {
        /// 窗口人员: pre-review and in-hall intake.
        Window = "window", "窗口人员";
        /// 审批人员: the back office; sees the department's cases.
        Reviewer = "reviewer", "审批人员";
        /// 首席代表: may do everything the window does, for the whole department.
        Chief = "chief", "首席代表";
        /// 分管领导 / 督查: sees the department's cases, acts on none.
        Supervisor = "supervisor", "分管领导（督查）";
        /// 系统管理员: catalog, staff and calendar; reviews nothing.
        Admin = "admin", "系统管理员";
    }
}

impl StaffRole {
    /// Whether this role sees its department's cases at all.
    pub fn sees_cases(self) -> bool {
        !matches!(self, StaffRole::Admin)
    }

    /// Whether this role may take a pre-review action or an application at the window.
    pub fn acts(self) -> bool {
        matches!(self, StaffRole::Window | StaffRole::Chief)
    }

    /// Whether this role signs for and completes its department's review tasks (审查任务).
    pub fn reviews(self) -> bool {
        matches!(self, StaffRole::Reviewer | StaffRole::Chief)
    }

    /// Whether this role decides its department's items (审查决定).
    pub fn decides(self) -> bool {
        matches!(self, StaffRole::Chief)
    }

    /// Whether this role sees the supervision board.
    pub fn supervises(self) -> bool {
        matches!(self, StaffRole::Chief | StaffRole::Supervisor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_window_and_the_chief_representative_act_and_the_admin_sees_no_cases() {
        let acting: Vec<_> = StaffRole::ALL.into_iter().filter(|r| r.acts()).collect();
        assert_eq!(acting, [StaffRole::Window, StaffRole::Chief]);
        assert!(!StaffRole::Admin.sees_cases());
        assert!(StaffRole::Supervisor.sees_cases());
        let reviewing: Vec<_> = StaffRole::ALL.into_iter().filter(|r| r.reviews()).collect();
        assert_eq!(reviewing, [StaffRole::Reviewer, StaffRole::Chief]);
        let deciding: Vec<_> = StaffRole::ALL.into_iter().filter(|r| r.decides()).collect();
        assert_eq!(deciding, [StaffRole::Chief]);
        for r in StaffRole::ALL {
            assert_eq!(StaffRole::parse(r.as_str()), Some(r));
        }
    }
}
