//! Timeline dates that keep their precision: "1999" is a year, never
//! 1 January 1999.

use std::cmp::Ordering;
use std::fmt;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PartialDate {
    pub year: i32,
    pub month: Option<u8>,
    pub day: Option<u8>,
}

#[derive(Debug, PartialEq, Eq)]
pub enum DateError {
    Shape,
    Month(u8),
    Day { year: i32, month: u8, day: u8 },
}

impl fmt::Display for DateError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DateError::Shape => write!(f, "a date is written \"YYYY\", \"YYYY-MM\" or \"YYYY-MM-DD\""),
            DateError::Month(m) => write!(f, "there is no month {m}"),
            DateError::Day { year, month, day } => {
                write!(
                    f,
                    "{year}-{month:02} has {} days, so day {day} does not exist",
                    days_in_month(*year, *month)
                )
            }
        }
    }
}

impl PartialDate {
    pub fn parse(text: &str) -> Result<PartialDate, DateError> {
        let parts: Vec<&str> = text.split('-').collect();
        let digits = |s: &str, n: usize| s.len() == n && s.bytes().all(|b| b.is_ascii_digit());
        let ok_shape = match parts.as_slice() {
            [y] => digits(y, 4),
            [y, m] => digits(y, 4) && digits(m, 2),
            [y, m, d] => digits(y, 4) && digits(m, 2) && digits(d, 2),
            _ => false,
        };
        if !ok_shape {
            return Err(DateError::Shape);
        }
        let year: i32 = parts[0].parse().map_err(|_| DateError::Shape)?;
        let month = parts.get(1).map(|m| m.parse::<u8>().unwrap_or(0));
        let day = parts.get(2).map(|d| d.parse::<u8>().unwrap_or(0));
        if let Some(m) = month {
            if !(1..=12).contains(&m) {
                return Err(DateError::Month(m));
            }
            if let Some(d) = day
                && (d == 0 || d > days_in_month(year, m))
            {
                return Err(DateError::Day { year, month: m, day: d });
            }
        }
        Ok(PartialDate { year, month, day })
    }

    /// Machine form for `<time datetime>`: as precise as written.
    pub fn datetime(&self) -> String {
        match (self.month, self.day) {
            (Some(m), Some(d)) => format!("{:04}-{m:02}-{d:02}", self.year),
            (Some(m), None) => format!("{:04}-{m:02}", self.year),
            _ => format!("{:04}", self.year),
        }
    }

    /// "1999", "May 1999", "7 May 1999".
    pub fn english(&self) -> String {
        const MONTHS: [&str; 12] = [
            "January",
            "February",
            "March",
            "April",
            "May",
            "June",
            "July",
            "August",
            "September",
            "October",
            "November",
            "December",
        ];
        match (self.month, self.day) {
            (Some(m), Some(d)) => format!("{d} {} {}", MONTHS[usize::from(m) - 1], self.year),
            (Some(m), None) => format!("{} {}", MONTHS[usize::from(m) - 1], self.year),
            _ => self.year.to_string(),
        }
    }

    /// "1999年", "1999年5月", "1999年5月7日".
    pub fn chinese(&self) -> String {
        match (self.month, self.day) {
            (Some(m), Some(d)) => format!("{}年{m}月{d}日", self.year),
            (Some(m), None) => format!("{}年{m}月", self.year),
            _ => format!("{}年", self.year),
        }
    }

    /// Orders by what is known: a bare year sorts before its months, so
    /// "1999" comes before "1999-05".
    fn key(&self) -> (i32, u8, u8) {
        (self.year, self.month.unwrap_or(0), self.day.unwrap_or(0))
    }

    /// Whether `self` can have ended before `start`: only when it is earlier
    /// at the precision both share ("1999" may end "1999-05").
    pub fn is_before(&self, start: &PartialDate) -> bool {
        let shared = |d: &PartialDate, a: &PartialDate| {
            let month = if d.month.is_some() && a.month.is_some() {
                d.month
            } else {
                None
            };
            let day = if month.is_some() && d.day.is_some() && a.day.is_some() {
                d.day
            } else {
                None
            };
            (d.year, month.unwrap_or(0), day.unwrap_or(0))
        };
        shared(self, start) < shared(start, self)
    }
}

impl PartialDate {
    /// Whether `self` names a time inside `outer` and is at least as
    /// precise: "2018-09" is within "2018", "2018" is not within "2018-09".
    pub fn is_within(&self, outer: &PartialDate) -> bool {
        let agrees = |inner: Option<u8>, outer: Option<u8>| match outer {
            Some(o) => inner == Some(o),
            None => true,
        };
        self.year == outer.year && agrees(self.month, outer.month) && agrees(self.day, outer.day)
    }
}

impl Ord for PartialDate {
    fn cmp(&self, other: &Self) -> Ordering {
        self.key().cmp(&other.key())
    }
}

impl PartialOrd for PartialDate {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

fn days_in_month(year: i32, month: u8) -> u8 {
    match month {
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_year_stays_a_year() {
        let d = PartialDate::parse("1999").unwrap();
        assert_eq!(
            (d.english(), d.chinese(), d.datetime()),
            ("1999".into(), "1999年".into(), "1999".into())
        );
        let d = PartialDate::parse("1999-05").unwrap();
        assert_eq!((d.english(), d.chinese()), ("May 1999".into(), "1999年5月".into()));
        let d = PartialDate::parse("1978-12-16").unwrap();
        assert_eq!(
            (d.english(), d.chinese()),
            ("16 December 1978".into(), "1978年12月16日".into())
        );
    }

    #[test]
    fn impossible_dates_are_refused() {
        assert_eq!(
            PartialDate::parse("2018-02-30"),
            Err(DateError::Day {
                year: 2018,
                month: 2,
                day: 30
            })
        );
        assert!(PartialDate::parse("2016-02-29").is_ok());
        assert_eq!(PartialDate::parse("2018-13"), Err(DateError::Month(13)));
        assert_eq!(PartialDate::parse("18-1-1"), Err(DateError::Shape));
        assert_eq!(PartialDate::parse("1978-12-16T00:00"), Err(DateError::Shape));
    }

    #[test]
    fn end_before_start_only_at_shared_precision() {
        let p = |s| PartialDate::parse(s).unwrap();
        assert!(p("1978").is_before(&p("1979")));
        assert!(!p("1999-05").is_before(&p("1999")));
        assert!(p("1999-04").is_before(&p("1999-05-07")));
        assert!(!p("1999").is_before(&p("1999-05-07")));
    }

    #[test]
    fn within_means_inside_and_at_least_as_precise() {
        let p = |s| PartialDate::parse(s).unwrap();
        assert!(p("2018-09").is_within(&p("2018")));
        assert!(p("2018-09-30").is_within(&p("2018-09")));
        assert!(p("2018").is_within(&p("2018")));
        assert!(!p("2018").is_within(&p("2018-09")));
        assert!(!p("2019-01").is_within(&p("2018")));
        assert!(!p("2018-10-01").is_within(&p("2018-09")));
    }

    #[test]
    fn years_sort_before_their_months() {
        let mut v = [
            PartialDate::parse("1999-05").unwrap(),
            PartialDate::parse("1999").unwrap(),
        ];
        v.sort();
        assert_eq!(v[0].month, None);
    }
}
