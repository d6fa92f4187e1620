//! Timeline dates that keep their precision: "1999" is a year, never
//! 1 January 1999. Years before the common era are written with a minus
//! (`-0500` is 500 BCE, 公元前500年); there is no year 0.

use std::cmp::Ordering;
use std::fmt;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PartialDate {
    /// The year as historians count it: 1999 is 1999 CE, -500 is 500 BCE.
    /// Never 0 (1 BCE is followed by 1 CE).
    pub year: i32,
    pub month: Option<u8>,
    pub day: Option<u8>,
}

#[derive(Debug, PartialEq, Eq)]
pub enum DateError {
    Shape,
    YearZero,
    Month(u8),
    Day { year: i32, month: u8, day: u8 },
}

impl fmt::Display for DateError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DateError::Shape => write!(f, "a date is written \"YYYY\", \"YYYY-MM\" or \"YYYY-MM-DD\""),
            DateError::YearZero => write!(f, "there is no year 0: 1 BCE is followed by 1 CE"),
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

impl DateError {
    /// What to write instead.
    pub fn help(&self) -> &'static str {
        match self {
            DateError::YearZero => {
                "write \"0001\" for 1 CE or \"-0001\" for 1 BCE; years before the common era take a minus, e.g. \"-0500\""
            }
            _ => "write \"1999\", \"1999-05\" or \"1999-05-07\", only as precise as the source",
        }
    }
}

impl PartialDate {
    pub fn parse(text: &str) -> Result<PartialDate, DateError> {
        let (bce, text) = match text.strip_prefix('-') {
            Some(rest) => (true, rest),
            None => (false, text),
        };
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
        if year == 0 {
            return Err(DateError::YearZero);
        }
        let year = if bce { -year } else { year };
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

    /// Machine form for `<time datetime>`: as precise as written. HTML has
    /// no form for years before the common era, so those have none (empty).
    pub fn datetime(&self) -> String {
        if self.year < 0 {
            return String::new();
        }
        match (self.month, self.day) {
            (Some(m), Some(d)) => format!("{:04}-{m:02}-{d:02}", self.year),
            (Some(m), None) => format!("{:04}-{m:02}", self.year),
            _ => format!("{:04}", self.year),
        }
    }

    /// "1999" or "500 BCE".
    fn english_year(&self) -> String {
        if self.year < 0 {
            format!("{} BCE", -self.year)
        } else {
            self.year.to_string()
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
            (Some(m), Some(d)) => format!("{d} {} {}", MONTHS[usize::from(m) - 1], self.english_year()),
            (Some(m), None) => format!("{} {}", MONTHS[usize::from(m) - 1], self.english_year()),
            _ => self.english_year(),
        }
    }

    /// "1999年", "1999年5月", "1999年5月7日", "公元前500年".
    pub fn chinese(&self) -> String {
        let year = if self.year < 0 {
            format!("公元前{}", -self.year)
        } else {
            self.year.to_string()
        };
        match (self.month, self.day) {
            (Some(m), Some(d)) => format!("{year}年{m}月{d}日"),
            (Some(m), None) => format!("{year}年{m}月"),
            _ => format!("{year}年"),
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
    // Leap years counted on the astronomical scale, where 1 BCE is year 0.
    let year = if year < 0 { year + 1 } else { year };
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
    fn years_before_the_common_era_read_and_sort_as_history_has_them() {
        let p = |s| PartialDate::parse(s).unwrap();
        let d = p("-0500");
        assert_eq!(d.year, -500);
        assert_eq!(
            (d.english(), d.chinese(), d.datetime()),
            ("500 BCE".into(), "公元前500年".into(), String::new())
        );
        assert_eq!(p("-0479-03").english(), "March 479 BCE");
        assert_eq!(p("-0479-03-04").chinese(), "公元前479年3月4日");
        let mut v = [p("0001"), p("-0001"), p("-0479"), p("-0500"), p("1999"), p("-0500-06")];
        v.sort();
        let order: Vec<String> = v.iter().map(PartialDate::english).collect();
        assert_eq!(order, ["500 BCE", "June 500 BCE", "479 BCE", "1 BCE", "1", "1999"]);
        assert!(p("-0500").is_before(&p("-0499")));
        // 1 BCE is a leap year on the proleptic calendar, 2 BCE is not.
        assert!(PartialDate::parse("-0001-02-29").is_ok());
        assert!(PartialDate::parse("-0002-02-29").is_err());
    }

    #[test]
    fn there_is_no_year_zero() {
        assert_eq!(PartialDate::parse("0000"), Err(DateError::YearZero));
        assert_eq!(PartialDate::parse("-0000-01"), Err(DateError::YearZero));
        assert!(DateError::YearZero.help().contains("-0001"));
        assert_eq!(PartialDate::parse("--0500"), Err(DateError::Shape));
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
