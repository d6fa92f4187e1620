//! Character classes more than one stage asks about (the importer splits
//! lines by them, `resolve` counts a headword's characters with them), kept in
//! one place so that the stages agree.

/// A Han ideograph (the scripts the articles are written in), including the
/// extension planes and 〇, the ideographic zero.
pub fn is_han(c: char) -> bool {
    matches!(c,
        '\u{3400}'..='\u{4DBF}' | '\u{4E00}'..='\u{9FFF}' | '\u{F900}'..='\u{FAFF}'
        | '\u{20000}'..='\u{2FFFF}' | '\u{3007}')
}
