//! The working-day calendar that every statutory limit is counted in.
//!
//! 《行政许可法》第八十二条: limits in this law count working days, not statutory holidays.
//! Weekends are off; statutory holidays are off; officially swapped weekend days (调休上班) are
//! on. Which days those are is data, published each year by the State Council and kept by an
//! administrator; a calendar refuses to count through a year it has no data for, rather than
//! silently treating its holidays as working days.
//!
//! 《民法典》第二百零一条: the day of the triggering event is not counted; a limit of N
//! working days ends at the end of the N-th working day after it.

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};

use super::date::{Date, Weekday};

/// The published holiday arrangement of one year.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
pub struct YearArrangement {
    pub year: i32,
    /// Statutory holidays and the weekdays given off with them.
    pub days_off: Vec<Date>,
    /// Weekend days that are working days (调休上班).
    pub extra_working_days: Vec<Date>,
}

/// Counting reached a year whose holidays are not loaded.
#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{year} 年的节假日安排尚未录入，无法计算工作日")]
pub struct YearNotLoaded {
    pub year: i32,
}

/// Working days, as published.
#[derive(Clone, Debug, Default)]
pub struct WorkingCalendar {
    years: BTreeSet<i32>,
    days_off: BTreeSet<Date>,
    extra_working_days: BTreeSet<Date>,
}

/// Longest count a calendar will make, so a corrupt limit cannot loop for ever.
pub const MAX_WORKING_DAYS: u32 = 400;

impl WorkingCalendar {
    /// A calendar of the given years.
    pub fn new(years: impl IntoIterator<Item = YearArrangement>) -> Self {
        let mut calendar = WorkingCalendar::default();
        for year in years {
            calendar.years.insert(year.year);
            calendar.days_off.extend(year.days_off);
            calendar.extra_working_days.extend(year.extra_working_days);
        }
        calendar
    }

    /// Whether `day` is a working day; an error for a year not loaded.
    pub fn is_working_day(&self, day: Date) -> Result<bool, YearNotLoaded> {
        if !self.years.contains(&day.year()) {
            return Err(YearNotLoaded { year: day.year() });
        }
        if self.extra_working_days.contains(&day) {
            return Ok(true);
        }
        if self.days_off.contains(&day) {
            return Ok(false);
        }
        Ok(!matches!(
            day.weekday(),
            Weekday::Saturday | Weekday::Sunday
        ))
    }

    /// The day a limit of `n` working days, triggered on `event`, ends (the event day itself
    /// is not counted). With `n` = 0, the event day.
    pub fn add_working_days(&self, event: Date, n: u32) -> Result<Date, YearNotLoaded> {
        let mut day = event;
        let mut left = n.min(MAX_WORKING_DAYS);
        while left > 0 {
            day = day.add_days(1);
            if self.is_working_day(day)? {
                left -= 1;
            }
        }
        Ok(day)
    }

    /// Working days after `from` up to and including `to` (0 when `to` ≤ `from`): how many
    /// working days of a limit have been used by the end of `to`.
    pub fn working_days_between(&self, from: Date, to: Date) -> Result<u32, YearNotLoaded> {
        let mut count = 0;
        let mut day = from;
        while day < to {
            day = day.add_days(1);
            if self.is_working_day(day)? {
                count += 1;
            }
        }
        Ok(count)
    }
}

/// Years an arrangement may be entered for.
pub const YEARS: std::ops::RangeInclusive<i32> = 2000..=2100;

/// Longest description of where an arrangement comes from (characters).
pub const MAX_SOURCE_CHARS: usize = 200;

/// A year's arrangement as an administrator enters it: the source, and the days as text,
/// one date or range (`2027-02-15~2027-02-21`) per line or separated by commas or spaces.
#[derive(Serialize, Deserialize, Clone, Debug, Default, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ArrangementForm {
    pub year: i32,
    /// The State Council notice it comes from.
    pub source: String,
    pub days_off: String,
    pub extra_working_days: String,
}

use super::account::FieldProblem;

/// Reads a list of dates and ranges; every bad entry is a problem of `field`.
fn day_list(field: &str, text: &str, problems: &mut Vec<FieldProblem>) -> Vec<Date> {
    let mut days = Vec::new();
    for entry in text
        .split(|c: char| c == ',' || c == '，' || c == '、' || c.is_whitespace())
        .filter(|e| !e.is_empty())
    {
        let (from, to) = match entry.split_once(['~', '～']) {
            Some((a, b)) => (Date::parse_iso(a), Date::parse_iso(b)),
            None => (Date::parse_iso(entry), Date::parse_iso(entry)),
        };
        match (from, to) {
            (Some(a), Some(b)) if a <= b && b.days_since_epoch() - a.days_since_epoch() < 31 => {
                let mut d = a;
                while d <= b {
                    days.push(d);
                    d = d.add_days(1);
                }
            }
            (Some(_), Some(_)) => problems.push(FieldProblem::new(
                field,
                "bad_range",
                format!("“{entry}”不是有效的日期区间（起日不晚于止日，最长 31 天）"),
            )),
            _ => problems.push(FieldProblem::new(
                field,
                "invalid_date",
                format!("“{entry}”不是日期，请写成 2027-01-01 或 2027-02-15~2027-02-21"),
            )),
        }
    }
    days.sort();
    days.dedup();
    days
}

/// Checks a year's arrangement as entered: a year in range, its source, every date a real
/// day of that year, swapped working days on weekends only, and no day both off and on.
pub fn check_arrangement(
    form: &ArrangementForm,
) -> Result<(YearArrangement, String), Vec<FieldProblem>> {
    let mut problems = Vec::new();
    if !YEARS.contains(&form.year) {
        problems.push(FieldProblem::new(
            "year",
            "bad_year",
            "年份应在 2000 至 2100 之间",
        ));
    }
    let source = form.source.trim().to_string();
    if source.is_empty() {
        problems.push(FieldProblem::new(
            "source",
            "required",
            "请填写依据（如：国务院办公厅关于 2027 年部分节假日安排的通知）",
        ));
    } else if source.chars().count() > MAX_SOURCE_CHARS {
        problems.push(FieldProblem::new(
            "source",
            "too_long",
            format!("依据不能超过 {MAX_SOURCE_CHARS} 个字"),
        ));
    }
    let days_off = day_list("days_off", &form.days_off, &mut problems);
    let extra = day_list(
        "extra_working_days",
        &form.extra_working_days,
        &mut problems,
    );
    for (field, days) in [("days_off", &days_off), ("extra_working_days", &extra)] {
        for d in days.iter().filter(|d| d.year() != form.year) {
            problems.push(FieldProblem::new(
                field,
                "other_year",
                format!("{d} 不在 {} 年", form.year),
            ));
        }
    }
    for d in &extra {
        if !matches!(d.weekday(), Weekday::Saturday | Weekday::Sunday) {
            problems.push(FieldProblem::new(
                "extra_working_days",
                "not_a_weekend",
                format!("{d} 不是周末：调休上班日只能是周六或周日"),
            ));
        }
        if days_off.contains(d) {
            problems.push(FieldProblem::new(
                "extra_working_days",
                "both",
                format!("{d} 同时列为放假和上班"),
            ));
        }
    }
    if problems.is_empty() {
        Ok((
            YearArrangement {
                year: form.year,
                days_off,
                extra_working_days: extra,
            },
            source,
        ))
    } else {
        Err(problems)
    }
}

/// 国务院办公厅关于 2026 年部分节假日安排的通知 (2025-11-04).
pub fn arrangement_2026() -> YearArrangement {
    let d = |m, day| Date::new(2026, m, day).into_iter();
    let range = |m, from, to| (from..=to).flat_map(move |day| d(m, day));
    YearArrangement {
        year: 2026,
        days_off: range(1, 1, 3)
            .chain(range(2, 15, 23))
            .chain(range(4, 4, 6))
            .chain(range(5, 1, 5))
            .chain(range(6, 19, 21))
            .chain(range(9, 25, 27))
            .chain(range(10, 1, 7))
            .collect(),
        extra_working_days: [(1, 4), (2, 14), (2, 28), (5, 9), (9, 20), (10, 10)]
            .into_iter()
            .flat_map(|(m, day)| d(m, day))
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(m: u8, d: u8) -> Date {
        Date::new(2026, m, d).unwrap()
    }

    fn calendar() -> WorkingCalendar {
        WorkingCalendar::new([arrangement_2026()])
    }

    #[test]
    fn the_2026_arrangement_has_every_published_day() {
        let a = arrangement_2026();
        assert_eq!(a.days_off.len(), 3 + 9 + 3 + 5 + 3 + 3 + 7);
        assert_eq!(a.extra_working_days.len(), 6);
    }

    #[test]
    fn five_working_days_from_friday_13_february_end_on_27_february() {
        // docs/rules.md, rule 4: 2/14 (swapped Saturday), 2/24, 2/25, 2/26, 2/27.
        assert_eq!(calendar().add_working_days(date(2, 13), 5), Ok(date(2, 27)));
    }

    #[test]
    fn swapped_weekend_days_are_working_days_and_holidays_are_not() {
        let c = calendar();
        assert_eq!(c.is_working_day(date(2, 14)), Ok(true), "调休 Saturday");
        assert_eq!(c.is_working_day(date(10, 10)), Ok(true), "调休 Saturday");
        assert_eq!(c.is_working_day(date(10, 1)), Ok(false), "国庆 Thursday");
        assert_eq!(c.is_working_day(date(2, 16)), Ok(false), "春节 Monday");
        assert_eq!(c.is_working_day(date(3, 7)), Ok(false), "ordinary Saturday");
        assert_eq!(c.is_working_day(date(3, 9)), Ok(true), "ordinary Monday");
    }

    #[test]
    fn the_event_day_is_not_counted() {
        let c = calendar();
        assert_eq!(c.add_working_days(date(3, 9), 1), Ok(date(3, 10)));
        assert_eq!(c.add_working_days(date(3, 9), 0), Ok(date(3, 9)));
        // Triggered on a Saturday: the count starts on Monday.
        assert_eq!(c.add_working_days(date(3, 7), 1), Ok(date(3, 9)));
    }

    #[test]
    fn twenty_working_days_across_national_day() {
        // Accepted Wednesday 2026-09-23: 9/24, (9/25–27 off), 9/28, 9/29, 9/30, (10/1–7 off),
        // 10/8, 10/9, 10/10 (调休), 10/12 … → the 20th working day is 10/28 (checked
        // independently against Python's datetime).
        assert_eq!(
            calendar().add_working_days(date(9, 23), 20),
            Ok(date(10, 28))
        );
    }

    #[test]
    fn counting_working_days_used_agrees_with_adding_them() {
        let c = calendar();
        for n in [0, 1, 5, 20, 45] {
            let due = c.add_working_days(date(1, 5), n).unwrap();
            assert_eq!(c.working_days_between(date(1, 5), due), Ok(n), "{n}");
        }
    }

    #[test]
    fn an_arrangement_is_entered_as_dates_and_ranges_and_checked() {
        let form = ArrangementForm {
            year: 2027,
            source: " 国务院办公厅通知 ".into(),
            days_off: "2027-01-01\n2027-02-06~2027-02-12，2027-02-06".into(),
            extra_working_days: "2027-02-14 2027-02-20".into(),
        };
        let (a, source) = check_arrangement(&form).unwrap();
        assert_eq!(source, "国务院办公厅通知");
        assert_eq!(a.days_off.len(), 8);
        assert_eq!(a.extra_working_days.len(), 2);
        let bad = ArrangementForm {
            year: 2027,
            source: "".into(),
            days_off: "2026-12-31 2027-13-01 2027-02-12~2027-02-06".into(),
            extra_working_days: "2027-02-15 2027-01-01".into(),
        };
        assert_eq!(
            crate::fixtures::codes(&check_arrangement(&bad).unwrap_err()),
            [
                ("source", "required"),
                ("days_off", "invalid_date"),
                ("days_off", "bad_range"),
                ("days_off", "other_year"),
                ("extra_working_days", "not_a_weekend"),
                ("extra_working_days", "not_a_weekend"),
            ]
        );
        let both = ArrangementForm {
            year: 2027,
            source: "x".into(),
            days_off: "2027-02-13".into(),
            extra_working_days: "2027-02-13".into(),
        };
        assert_eq!(check_arrangement(&both).unwrap_err()[0].code, "both");
    }

    #[test]
    fn a_year_without_published_holidays_is_refused_not_guessed() {
        assert_eq!(
            calendar().add_working_days(date(12, 20), 20),
            Err(YearNotLoaded { year: 2027 })
        );
        assert_eq!(
            calendar().is_working_day(Date::new(2025, 12, 31).unwrap()),
            Err(YearNotLoaded { year: 2025 })
        );
    }
}
