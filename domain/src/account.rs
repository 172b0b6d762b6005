//! Applicant accounts: what a registration must contain, and how repeated failed logins are
//! slowed down and then locked. Pure rules; the server enforces them, the browser shows them.

use serde::{Deserialize, Serialize};

use super::date::Date;
use super::ids::{IdCardNumber, IdError, MobileNumber};

/// Shortest accepted password, in characters.
pub const MIN_PASSWORD_CHARS: usize = 8;
/// Longest accepted password, in characters (argon2 hashes anything, but a limit stops abuse).
pub const MAX_PASSWORD_CHARS: usize = 128;
/// Longest name, in characters (names of ethnic minorities can be long).
pub const MAX_NAME_CHARS: usize = 50;

/// Failed logins allowed before each further attempt must wait.
pub const FREE_LOGIN_ATTEMPTS: i32 = 3;
/// Failed logins after which the number is locked.
pub const LOCK_AFTER_FAILURES: i32 = 10;
/// How long a lock lasts, in seconds.
pub const LOCK_SECONDS: i64 = 30 * 60;
/// Failures older than this are forgotten, in seconds.
pub const FAILURE_MEMORY_SECONDS: i64 = 60 * 60;
/// A session unused this long has expired, in seconds.
pub const SESSION_IDLE_SECONDS: i64 = 30 * 60;

/// An account as shown to its owner: personal numbers masked.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AccountInfo {
    pub id: i32,
    /// Masked, e.g. `138****5678`.
    pub mobile: String,
    pub name: String,
    /// Masked, e.g. `1101**********002X`.
    pub id_number: String,
}

/// A registration as typed.
#[derive(Serialize, Deserialize, Clone, Debug, Default, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RegistrationForm {
    /// 手机号码: the login name.
    pub mobile: String,
    pub password: String,
    /// 姓名, as on the ID card.
    pub name: String,
    /// 居民身份证号码.
    pub id_number: String,
}

/// Digits of an account-recovery code sent by SMS, how long it is valid (seconds), and how
/// many wrong tries it survives.
pub const RECOVERY_CODE_DIGITS: usize = 6;
pub const RECOVERY_CODE_SECONDS: i64 = 10 * 60;
pub const RECOVERY_CODE_TRIES: i32 = 5;

/// Taking back a mobile number by the code sent to it: the person's name and ID number, and
/// a new password. If they match the account's, the password is reset; if not, the number
/// was registered by someone else, and the person who holds the phone gets a new account
/// under it (the other account keeps its data but no longer this number).
#[derive(Serialize, Deserialize, Clone, Debug, Default, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RecoveryForm {
    pub mobile: String,
    /// The code from the SMS.
    pub code: String,
    /// The new password.
    pub password: String,
    pub name: String,
    pub id_number: String,
}

impl RecoveryForm {
    /// Checks every field at once, like a registration, and the code's form.
    pub fn parse(&self, today: Date) -> Result<(Registration, String), Vec<FieldProblem>> {
        let registration = RegistrationForm {
            mobile: self.mobile.clone(),
            password: self.password.clone(),
            name: self.name.clone(),
            id_number: self.id_number.clone(),
        }
        .parse(today);
        let code = self.code.trim();
        let code_ok =
            code.len() == RECOVERY_CODE_DIGITS && code.bytes().all(|b| b.is_ascii_digit());
        match (registration, code_ok) {
            (Ok(r), true) => Ok((r, code.to_string())),
            (r, ok) => {
                let mut problems = r.err().unwrap_or_default();
                if !ok {
                    problems.push(FieldProblem::new(
                        "code",
                        "format",
                        format!("请输入短信中的 {RECOVERY_CODE_DIGITS} 位验证码"),
                    ));
                }
                Err(problems)
            }
        }
    }
}

/// The refusal of a recovery code that is wrong, used up or expired (never saying which).
pub fn recovery_code_refused() -> FieldProblem {
    FieldProblem::new("code", "code_invalid", "验证码不正确或已失效，请重新获取")
}

/// A registration whose every part was checked.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Registration {
    pub mobile: MobileNumber,
    pub password: String,
    pub name: String,
    pub id_number: IdCardNumber,
}

/// A problem with one field of a form: the field, a stable code, and a Chinese message.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FieldProblem {
    pub field: String,
    pub code: String,
    pub message: String,
}

impl FieldProblem {
    /// A problem with `field`, its stable `code` and Chinese message.
    pub fn new(field: &str, code: &str, message: impl Into<String>) -> Self {
        FieldProblem {
            field: field.into(),
            code: code.into(),
            message: message.into(),
        }
    }

    fn id(field: &str, e: IdError) -> Self {
        Self::new(field, e.code(), e.message())
    }

    /// A written text, trimmed. A problem is pushed when it is longer than `max` characters
    /// (`too_long`, "{what}不能超过 {max} 个字"), and when it is `required` and empty
    /// (`required`, "请填写{what}").
    pub fn text(
        problems: &mut Vec<FieldProblem>,
        field: &str,
        value: &str,
        what: &str,
        max: usize,
        required: bool,
    ) -> String {
        let text = value.trim();
        if required && text.is_empty() {
            problems.push(Self::new(field, "required", format!("请填写{what}")));
        } else if text.chars().count() > max {
            problems.push(Self::new(
                field,
                "too_long",
                format!("{what}不能超过 {max} 个字"),
            ));
        }
        text.to_owned()
    }

    /// Every problem's message in one line, for a form that shows them together.
    pub fn sentence(problems: &[FieldProblem]) -> String {
        problems
            .iter()
            .map(|p| p.message.as_str())
            .collect::<Vec<_>>()
            .join("；")
    }
}

impl RegistrationForm {
    /// Checks every field at once; `today` bounds the birth date in the ID number.
    pub fn parse(&self, today: Date) -> Result<Registration, Vec<FieldProblem>> {
        let mut problems = Vec::new();
        let mobile = match self.mobile.trim() {
            "" => {
                problems.push(FieldProblem::new("mobile", "required", "请填写手机号码"));
                None
            }
            m => MobileNumber::parse(m)
                .map_err(|e| problems.push(FieldProblem::id("mobile", e)))
                .ok(),
        };
        if let Err(p) = check_password(&self.password) {
            problems.push(p);
        }
        let name = self.name.trim();
        let name_chars = name.chars().count();
        if name_chars == 0 {
            problems.push(FieldProblem::new("name", "required", "请填写姓名"));
        } else if !(2..=MAX_NAME_CHARS).contains(&name_chars) {
            problems.push(FieldProblem::new(
                "name",
                "length",
                format!("姓名应为 2–{MAX_NAME_CHARS} 个字"),
            ));
        } else if name.chars().any(|c| c.is_control() || c.is_ascii_digit()) {
            problems.push(FieldProblem::new(
                "name",
                "format",
                "姓名不能包含数字或控制字符",
            ));
        }
        let id_number = match self.id_number.trim() {
            "" => {
                problems.push(FieldProblem::new(
                    "id_number",
                    "required",
                    "请填写居民身份证号码",
                ));
                None
            }
            n => IdCardNumber::parse(n, today)
                .map_err(|e| problems.push(FieldProblem::id("id_number", e)))
                .ok(),
        };
        match (mobile, id_number) {
            (Some(mobile), Some(id_number)) if problems.is_empty() => Ok(Registration {
                mobile,
                password: self.password.clone(),
                name: name.to_string(),
                id_number,
            }),
            _ => Err(problems),
        }
    }
}

/// Password policy: 8–128 characters with at least one letter and one digit.
pub fn check_password(password: &str) -> Result<(), FieldProblem> {
    let chars = password.chars().count();
    if !(MIN_PASSWORD_CHARS..=MAX_PASSWORD_CHARS).contains(&chars) {
        return Err(FieldProblem::new(
            "password",
            "password_length",
            format!("密码应为 {MIN_PASSWORD_CHARS}–{MAX_PASSWORD_CHARS} 位"),
        ));
    }
    if !password.chars().any(|c| c.is_ascii_alphabetic())
        || !password.chars().any(|c| c.is_ascii_digit())
    {
        return Err(FieldProblem::new(
            "password",
            "password_weak",
            "密码须同时包含字母和数字",
        ));
    }
    Ok(())
}

/// Failed-login record of one mobile number (times in Unix seconds).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Throttle {
    pub failures: i32,
    pub last_failure_at: i64,
    pub locked_until: Option<i64>,
}

/// How hard a throttle key is slowed down and locked: after `free` failures each attempt
/// waits twice as long as the one before (1 s, 2 s, 4 s, …); after `lock_after` the key is
/// locked for `lock_seconds`; failures older than `memory_seconds` are forgotten.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ThrottleRule {
    pub free: i32,
    pub lock_after: i32,
    pub lock_seconds: i64,
    pub memory_seconds: i64,
}

impl ThrottleRule {
    /// One account (or case lookup) from one client: the same for numbers without an
    /// account, so the answer does not tell whether one exists.
    pub const LOGIN: ThrottleRule = ThrottleRule {
        free: FREE_LOGIN_ATTEMPTS,
        lock_after: LOCK_AFTER_FAILURES,
        lock_seconds: LOCK_SECONDS,
        memory_seconds: FAILURE_MEMORY_SECONDS,
    };
    /// Failed logins from one client over all accounts (password spraying); generous, since
    /// an office or a mobile carrier may put many people behind one address.
    pub const CLIENT: ThrottleRule = ThrottleRule {
        free: 30,
        lock_after: 100,
        lock_seconds: 15 * 60,
        memory_seconds: FAILURE_MEMORY_SECONDS,
    };
    /// Recovery codes sent to one number: three at once, then each waits longer (1 s, 2 s,
    /// 4 s, …), none for an hour after ten in a day.
    pub const RECOVERY: ThrottleRule = ThrottleRule {
        free: 3,
        lock_after: 10,
        lock_seconds: FAILURE_MEMORY_SECONDS,
        memory_seconds: 24 * 60 * 60,
    };
    /// Registrations from one client: a family, a firm or a hall's self-service terminal
    /// registers some, a script many (after the free ones each waits twice as long).
    pub const REGISTRATION: ThrottleRule = ThrottleRule {
        free: 20,
        lock_after: 100,
        lock_seconds: FAILURE_MEMORY_SECONDS,
        memory_seconds: FAILURE_MEMORY_SECONDS,
    };

    /// Whether an attempt may be tried now; otherwise how many seconds to wait.
    pub fn wait(self, throttle: Option<Throttle>, now: i64) -> Result<(), i64> {
        let Some(t) = throttle else { return Ok(()) };
        if let Some(until) = t.locked_until
            && now < until
        {
            return Err(until - now);
        }
        if t.locked_until.is_some() || now - t.last_failure_at >= self.memory_seconds {
            return Ok(());
        }
        if t.failures < self.free {
            return Ok(());
        }
        let wait = 1i64 << (t.failures - self.free).clamp(0, 20);
        let ready = t.last_failure_at + wait;
        if now < ready {
            Err(ready - now)
        } else {
            Ok(())
        }
    }

    /// Whether an attempt may be tried now, as [`Self::wait`], when `undecided` more wrong
    /// attempts have been decided but are not in `throttle` yet: each counts as failed now.
    pub fn wait_counting(
        self,
        throttle: Option<Throttle>,
        undecided: u32,
        now: i64,
    ) -> Result<(), i64> {
        let throttle = (0..undecided).fold(throttle, |t, _| Some(self.after_failure(t, now)));
        self.wait(throttle, now)
    }

    /// The record after one more failed attempt at `now`.
    pub fn after_failure(self, throttle: Option<Throttle>, now: i64) -> Throttle {
        let failures = match throttle {
            Some(t)
                if t.locked_until.is_none() && now - t.last_failure_at < self.memory_seconds =>
            {
                t.failures + 1
            }
            _ => 1,
        };
        Throttle {
            failures,
            last_failure_at: now,
            locked_until: (failures >= self.lock_after).then_some(now + self.lock_seconds),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_recovery_needs_what_a_registration_needs_and_a_six_digit_code() {
        let today = Date::parse_iso("2026-12-01").unwrap();
        let form = RecoveryForm {
            mobile: "13812345678".into(),
            code: " 012345 ".into(),
            password: "xinmima2026".into(),
            name: "张三".into(),
            id_number: "11010519491231002X".into(),
        };
        let (registration, code) = form.parse(today).unwrap();
        assert_eq!(
            (registration.name.as_str(), code.as_str()),
            ("张三", "012345")
        );
        for bad in ["", "12345", "1234567", "12345a"] {
            let wrong = RecoveryForm {
                code: bad.into(),
                ..form.clone()
            };
            let problems = wrong.parse(today).unwrap_err();
            assert_eq!(problems.len(), 1, "{bad}");
            assert_eq!(
                (problems[0].field.as_str(), problems[0].code.as_str()),
                ("code", "format")
            );
        }
        let weak = RecoveryForm {
            password: "short".into(),
            code: "x".into(),
            ..form
        };
        let fields: Vec<_> = weak
            .parse(today)
            .unwrap_err()
            .into_iter()
            .map(|p| p.field)
            .collect();
        assert_eq!(fields, ["password", "code"]);
        assert_eq!(recovery_code_refused().code, "code_invalid");
    }

    fn today() -> Date {
        Date::new(2026, 11, 21).unwrap()
    }

    fn form() -> RegistrationForm {
        RegistrationForm {
            mobile: "13812345678".into(),
            password: "shigong2026".into(),
            name: "张三".into(),
            id_number: "11010519491231002X".into(),
        }
    }

    #[test]
    fn a_complete_registration_parses() {
        let r = form().parse(today()).unwrap();
        assert_eq!(r.mobile.as_str(), "13812345678");
        assert_eq!(r.id_number.as_str(), "11010519491231002X");
    }

    #[test]
    fn every_problem_of_a_registration_is_reported_at_once() {
        let bad = RegistrationForm {
            mobile: "123".into(),
            password: "short".into(),
            name: "".into(),
            id_number: "110105194912310021".into(),
        };
        assert_eq!(
            crate::fixtures::codes(&bad.parse(today()).unwrap_err()),
            [
                ("mobile", "mobile_format"),
                ("password", "password_length"),
                ("name", "required"),
                ("id_number", "id_card_checksum"),
            ]
        );
    }

    #[test]
    fn a_password_needs_letters_and_digits() {
        assert_eq!(
            check_password("abcdefgh").unwrap_err().code,
            "password_weak"
        );
        assert_eq!(
            check_password("12345678").unwrap_err().code,
            "password_weak"
        );
        assert!(check_password("abcd1234").is_ok());
        assert_eq!(
            check_password(&"a1".repeat(65)).unwrap_err().code,
            "password_length"
        );
    }

    #[test]
    fn failed_logins_are_slowed_down_then_locked() {
        let mut t = None;
        let mut now = 1_000_000;
        for _ in 0..FREE_LOGIN_ATTEMPTS {
            assert_eq!(ThrottleRule::LOGIN.wait(t, now), Ok(()));
            t = Some(ThrottleRule::LOGIN.after_failure(t, now));
        }
        // The 4th attempt waits 1 s, the 5th 2 s, the 6th 4 s.
        assert_eq!(ThrottleRule::LOGIN.wait(t, now), Err(1));
        now += 1;
        assert_eq!(ThrottleRule::LOGIN.wait(t, now), Ok(()));
        t = Some(ThrottleRule::LOGIN.after_failure(t, now));
        assert_eq!(ThrottleRule::LOGIN.wait(t, now), Err(2));
        while t.unwrap().failures < LOCK_AFTER_FAILURES {
            now += 1000;
            assert_eq!(ThrottleRule::LOGIN.wait(t, now), Ok(()));
            t = Some(ThrottleRule::LOGIN.after_failure(t, now));
        }
        assert_eq!(
            ThrottleRule::LOGIN.wait(t, now + 60),
            Err(LOCK_SECONDS - 60),
            "locked"
        );
        now += LOCK_SECONDS;
        assert_eq!(ThrottleRule::LOGIN.wait(t, now), Ok(()), "the lock expires");
        assert_eq!(
            ThrottleRule::LOGIN.after_failure(t, now).failures,
            1,
            "and counting starts again"
        );
    }

    #[test]
    fn failures_decided_but_not_yet_written_count_as_failed_now() {
        let rule = ThrottleRule::LOGIN;
        let now = 1_000_000;
        assert_eq!(rule.wait_counting(None, 0, now), Ok(()));
        assert_eq!(rule.wait_counting(None, 2, now), Ok(()));
        // Three wrong guesses on their way: the next waits as the fourth attempt would.
        assert_eq!(rule.wait_counting(None, 3, now), Err(1));
        let two = Some(Throttle {
            failures: 2,
            last_failure_at: now - 100,
            locked_until: None,
        });
        assert_eq!(rule.wait_counting(two, 0, now), Ok(()));
        assert_eq!(rule.wait_counting(two, 1, now), Err(1));
        let nine = Some(Throttle {
            failures: LOCK_AFTER_FAILURES - 1,
            last_failure_at: now - 1000,
            locked_until: None,
        });
        assert_eq!(
            rule.wait_counting(nine, 1, now),
            Err(LOCK_SECONDS),
            "the lock"
        );
    }

    #[test]
    fn old_failures_are_forgotten() {
        let t = Some(Throttle {
            failures: 5,
            last_failure_at: 0,
            locked_until: None,
        });
        assert_eq!(ThrottleRule::LOGIN.wait(t, FAILURE_MEMORY_SECONDS), Ok(()));
        assert_eq!(
            ThrottleRule::LOGIN
                .after_failure(t, FAILURE_MEMORY_SECONDS)
                .failures,
            1
        );
    }
}
