//! Calendar dates without a clock: "today" is always passed in, so rules stay pure and
//! tests never depend on the day they run. Hand-written rather than chrono, to keep the wasm
//! small; the working-day calendar builds on this.

use std::fmt;

use serde::{Deserialize, Serialize};

/// China's offset from UTC, in seconds: one time zone, no daylight saving.
pub const CHINA_UTC_OFFSET_SECONDS: i64 = 8 * 3600;

/// A date of the proleptic Gregorian calendar.
#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[serde(try_from = "String", into = "String")]
pub struct Date {
    year: i32,
    month: u8,
    day: u8,
}

impl Date {
    /// The date, if it exists (no 2月30日).
    pub fn new(year: i32, month: u8, day: u8) -> Option<Self> {
        ((1..=12).contains(&month) && day >= 1 && day <= days_in_month(year, month))
            .then_some(Date { year, month, day })
    }

    /// Reads `YYYY-MM-DD`.
    pub fn parse_iso(s: &str) -> Option<Self> {
        let b = s.as_bytes();
        if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
            return None;
        }
        Self::from_parts(&s[..4], &s[5..7], &s[8..])
    }

    /// Reads `YYYYMMDD`, as inside an ID card number.
    pub fn parse_compact(s: &str) -> Option<Self> {
        if s.len() != 8 || !s.is_char_boundary(4) || !s.is_char_boundary(6) {
            return None;
        }
        Self::from_parts(&s[..4], &s[4..6], &s[6..])
    }

    fn from_parts(y: &str, m: &str, d: &str) -> Option<Self> {
        let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
        if !(digits(y) && digits(m) && digits(d)) {
            return None;
        }
        Self::new(y.parse().ok()?, m.parse().ok()?, d.parse().ok()?)
    }

    pub fn year(self) -> i32 {
        self.year
    }

    pub fn month(self) -> u8 {
        self.month
    }

    pub fn day(self) -> u8 {
        self.day
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

impl TryFrom<String> for Date {
    type Error = String;
    fn try_from(s: String) -> Result<Self, String> {
        Date::parse_iso(&s).ok_or_else(|| format!("not a date (YYYY-MM-DD): {s}"))
    }
}

impl From<Date> for String {
    fn from(d: Date) -> String {
        d.to_string()
    }
}

fn is_leap(year: i32) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

fn days_in_month(year: i32, month: u8) -> u8 {
    match month {
        2 if is_leap(year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_real_dates_exist() {
        assert!(Date::new(2024, 2, 29).is_some());
        assert!(Date::new(2026, 2, 29).is_none());
        assert!(Date::new(1900, 2, 29).is_none());
        assert!(Date::new(2000, 2, 29).is_some());
        assert!(Date::new(2026, 4, 31).is_none());
        assert!(Date::new(2026, 13, 1).is_none());
        assert!(Date::new(2026, 1, 0).is_none());
    }

    #[test]
    fn dates_read_and_write_iso_form() {
        assert_eq!(
            Date::parse_iso("2026-02-13").unwrap().to_string(),
            "2026-02-13"
        );
        for bad in [
            "2026-2-13",
            "2026/02/13",
            "20260213",
            "2026-02-1a",
            "+026-02-13",
            "2026-02-30",
            "",
        ] {
            assert_eq!(Date::parse_iso(bad), None, "{bad}");
        }
        assert_eq!(Date::parse_compact("19491231"), Date::new(1949, 12, 31));
        assert_eq!(Date::parse_compact("1949123"), None);
    }

    #[test]
    fn dates_order_by_time() {
        assert!(Date::new(2026, 2, 13) < Date::new(2026, 2, 14));
        assert!(Date::new(2025, 12, 31) < Date::new(2026, 1, 1));
    }
}

/// Day of the week, Monday first.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Weekday {
    Monday,
    Tuesday,
    Wednesday,
    Thursday,
    Friday,
    Saturday,
    Sunday,
}

impl Date {
    /// Days since 1970-01-01 (negative before), by the civil-from-days algorithm.
    pub fn days_since_epoch(self) -> i64 {
        let y = i64::from(self.year) - i64::from(self.month <= 2);
        let era = y.div_euclid(400);
        let yoe = y - era * 400;
        let m = i64::from(self.month);
        let doy = (153 * (m + if m > 2 { -3 } else { 9 }) + 2) / 5 + i64::from(self.day) - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        era * 146_097 + doe - 719_468
    }

    /// The date `days` since 1970-01-01.
    pub fn from_days_since_epoch(days: i64) -> Self {
        let z = days + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z - era * 146_097;
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = (doy - (153 * mp + 2) / 5 + 1) as u8;
        let month = if mp < 10 { mp + 3 } else { mp - 9 } as u8;
        let year = (yoe + era * 400 + i64::from(month <= 2)) as i32;
        Date { year, month, day }
    }

    /// The date `n` days later (earlier when negative).
    /// The calendar day in China (UTC+8, no daylight saving) at `unix_seconds` after the Unix
    /// epoch: the day birth dates, deadlines and notice dates are judged by, in the browser
    /// and on the server alike. The clock itself is the caller's, so this stays pure.
    pub fn in_china_at(unix_seconds: i64) -> Self {
        Self::from_days_since_epoch((unix_seconds + CHINA_UTC_OFFSET_SECONDS).div_euclid(86_400))
    }

    pub fn add_days(self, n: i64) -> Self {
        Self::from_days_since_epoch(self.days_since_epoch() + n)
    }

    pub fn weekday(self) -> Weekday {
        // 1970-01-01 was a Thursday.
        match (self.days_since_epoch() + 3).rem_euclid(7) {
            0 => Weekday::Monday,
            1 => Weekday::Tuesday,
            2 => Weekday::Wednesday,
            3 => Weekday::Thursday,
            4 => Weekday::Friday,
            5 => Weekday::Saturday,
            _ => Weekday::Sunday,
        }
    }
}

/// An RFC 3339 UTC time (as the server writes them) as China's wall-clock time,
/// `2026年11月22日 14:05`; the input unchanged if it is not one.
pub fn china_time(rfc3339: &str) -> String {
    let parse = || -> Option<String> {
        let date = Date::parse_iso(rfc3339.get(..10)?)?;
        let hour: i64 = rfc3339.get(11..13)?.parse().ok()?;
        let minute: u8 = rfc3339.get(14..16)?.parse().ok()?;
        if !(rfc3339.ends_with("+00:00") || rfc3339.ends_with('Z')) {
            return None;
        }
        let (date, hour) = if hour + 8 >= 24 {
            (date.add_days(1), hour + 8 - 24)
        } else {
            (date, hour + 8)
        };
        Some(format!(
            "{}年{}月{}日 {hour:02}:{minute:02}",
            date.year(),
            date.month(),
            date.day()
        ))
    };
    parse().unwrap_or_else(|| rfc3339.to_string())
}

#[cfg(test)]
mod china_time_tests {
    use super::*;

    #[test]
    fn the_day_in_china_turns_at_sixteen_hundred_utc() {
        // 2026-12-31T15:59:59Z is 23:59:59 in Beijing; a second later it is New Year's Day.
        let before = 1_798_732_799;
        assert_eq!(Date::in_china_at(before), Date::new(2026, 12, 31).unwrap());
        assert_eq!(
            Date::in_china_at(before + 1),
            Date::new(2027, 1, 1).unwrap()
        );
        // Before the epoch the day still floors, never rounds towards 1970.
        assert_eq!(
            Date::in_china_at(-8 * 3600 - 1),
            Date::new(1969, 12, 31).unwrap()
        );
    }

    #[test]
    fn server_times_are_shown_in_china_time() {
        assert_eq!(
            china_time("2026-11-22T06:05:09.123+00:00"),
            "2026年11月22日 14:05"
        );
        assert_eq!(
            china_time("2026-12-31T16:30:00+00:00"),
            "2027年1月1日 00:30"
        );
        assert_eq!(china_time("yesterday"), "yesterday");
    }
}

#[cfg(test)]
mod arithmetic_tests {
    use super::*;

    #[test]
    fn day_arithmetic_round_trips_over_four_centuries() {
        let start = Date::new(1900, 1, 1).unwrap();
        let mut d = start;
        for n in 0..146_097 {
            assert_eq!(Date::from_days_since_epoch(d.days_since_epoch()), d);
            assert_eq!(start.add_days(n), d);
            let next = d.add_days(1);
            assert!(next > d);
            d = next;
        }
        assert_eq!(d, Date::new(2300, 1, 1).unwrap());
    }

    #[test]
    fn weekdays_match_the_calendar() {
        assert_eq!(Date::new(2026, 2, 13).unwrap().weekday(), Weekday::Friday);
        assert_eq!(Date::new(2026, 2, 14).unwrap().weekday(), Weekday::Saturday);
        assert_eq!(
            Date::new(2026, 11, 21).unwrap().weekday(),
            Weekday::Saturday
        );
        assert_eq!(Date::new(1949, 10, 1).unwrap().weekday(), Weekday::Saturday);
    }
}
