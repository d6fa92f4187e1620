//! Citations of a reading in GB/T 7714-2015, APA 7 and Chicago (notes and
//! bibliography), as plain text built at build time from article.toml. The
//! reader prints the GB/T form and its "cite this paragraph" panel fills a
//! paragraph's number and permalink into the `%P` and `%U` of the paragraph
//! forms.

use serde::Serialize;

use crate::content::article::ArticleMeta;

#[derive(Serialize, Debug, PartialEq, Eq)]
pub struct Citation {
    /// The whole reading, in each style.
    pub gbt: String,
    pub apa: String,
    pub chicago: String,
    /// One paragraph: `%P` stands for its number, `%U` for its permalink.
    pub gbt_para: String,
    pub apa_para: String,
    pub chicago_para: String,
    /// The DOI address or the article's own address, if known.
    pub link: Option<String>,
}

/// The journal's name without the 《》 Chinese titles are written in.
fn journal(meta: &ArticleMeta) -> Option<String> {
    let source = meta.source.as_deref()?.trim();
    let bare = source.trim_start_matches('《').trim_end_matches('》').trim();
    (!bare.is_empty()).then(|| bare.to_owned())
}

/// "Yao Yunzhu" → ("Yao", "Y."): Chinese names in English are written
/// surname first, as article.toml's `author_en` does.
fn apa_name(meta: &ArticleMeta) -> (String, Option<String>) {
    match meta.author_en.as_deref().map(str::trim).filter(|a| !a.is_empty()) {
        Some(en) => {
            let mut words = en.split_whitespace();
            let surname = words.next().unwrap_or(en).to_owned();
            let initials: Vec<String> = words
                .filter_map(|w| w.chars().next())
                .map(|c| format!("{}.", c.to_uppercase()))
                .collect();
            (surname, (!initials.is_empty()).then(|| initials.join(" ")))
        }
        None => (meta.author.clone().unwrap_or_default(), None),
    }
}

fn ends_with_stop(text: &str) -> bool {
    text.ends_with(['.', '?', '!', '？', '。', '！'])
}

/// `text` followed by `.`, unless it ends in a stop already.
fn stop(text: &str) -> String {
    if ends_with_stop(text) {
        text.to_owned()
    } else {
        format!("{text}.")
    }
}

pub fn citation(meta: &ArticleMeta) -> Citation {
    let journal = journal(meta);
    let year = meta.year.map(|y| y.to_string());
    let volume = meta.volume.as_ref().map(ToString::to_string);
    let issue = meta.issue.as_ref().map(ToString::to_string);
    let pages = meta.pages.as_deref().map(str::trim).filter(|p| !p.is_empty());
    let doi = meta.doi.as_ref().map(|d| d.get_ref().trim().to_owned());
    let link = doi
        .as_ref()
        .map(|d| format!("https://doi.org/{d}"))
        .or_else(|| meta.url.as_ref().map(|u| u.get_ref().clone()));

    // GB/T 7714-2015: 作者. 题名[J]. 刊名, 年, 卷(期): 页码. DOI.
    let mut gbt = String::new();
    if let Some(author) = &meta.author {
        gbt.push_str(&format!("{author}. "));
    }
    let kind = if meta.url.is_some() && doi.is_none() {
        "J/OL"
    } else {
        "J"
    };
    gbt.push_str(&format!("{}[{kind}]", meta.title));
    if let Some(journal) = &journal {
        gbt.push_str(&format!(". {journal}"));
        if let Some(year) = &year {
            gbt.push_str(&format!(", {year}"));
        }
        if let Some(volume) = &volume {
            gbt.push_str(&format!(", {volume}"));
        }
        if let Some(issue) = &issue {
            gbt.push_str(&format!("({issue})"));
        }
        if let Some(pages) = pages {
            gbt.push_str(&format!(": {pages}"));
        }
    } else if let Some(year) = &year {
        gbt.push_str(&format!(". {year}"));
    }
    gbt.push('.');
    if let Some(doi) = &doi {
        gbt.push_str(&format!(" DOI:{doi}."));
    } else if let Some(url) = &meta.url {
        gbt.push_str(&format!(" {}.", url.get_ref()));
    }

    // APA 7: Surname, I. (Year). Title [English title]. Journal, vol(issue), pages. link
    let (surname, initials) = apa_name(meta);
    let mut apa = String::new();
    if !surname.is_empty() {
        apa.push_str(&surname);
        if let Some(initials) = &initials {
            apa.push_str(&format!(", {initials}"));
        }
        apa.push(' ');
    }
    apa.push_str(&format!("({}). ", year.as_deref().unwrap_or("n.d.")));
    let title_en = meta.title_en.as_deref().map(str::trim).filter(|t| !t.is_empty());
    match title_en {
        Some(en) => apa.push_str(&format!("{} [{en}]. ", meta.title)),
        None => apa.push_str(&format!("{} ", stop(&meta.title))),
    }
    if let Some(journal) = &journal {
        apa.push_str(journal);
        if let Some(volume) = &volume {
            apa.push_str(&format!(", {volume}"));
            if let Some(issue) = &issue {
                apa.push_str(&format!("({issue})"));
            }
        } else if let Some(issue) = &issue {
            apa.push_str(&format!(", ({issue})"));
        }
        if let Some(pages) = pages {
            apa.push_str(&format!(", {pages}"));
        }
        apa.push('.');
    }
    if let Some(link) = &link {
        apa.push_str(&format!(" {link}"));
    }
    let apa = apa.trim_end().to_owned();
    let year_or_nd = year.as_deref().unwrap_or("n.d.");
    let apa_para = format!("({surname}, {year_or_nd}, para. %P)\n{apa}");

    // Chicago (notes and bibliography).
    let name_en = meta.author_en.as_deref().filter(|a| !a.trim().is_empty());
    let name = match (name_en, meta.author.as_deref()) {
        (Some(en), Some(zh)) => format!("{en} {zh}"),
        (Some(en), None) => en.to_owned(),
        (None, Some(zh)) => zh.to_owned(),
        (None, None) => String::new(),
    };
    let mut where_published = String::new();
    if let Some(journal) = &journal {
        where_published.push_str(journal);
        if let Some(volume) = &volume {
            where_published.push_str(&format!(" {volume}"));
        }
        if let Some(issue) = &issue {
            where_published.push_str(&format!(", no. {issue}"));
        }
        if let Some(year) = &year {
            where_published.push_str(&format!(" ({year})"));
        }
    } else if let Some(year) = &year {
        where_published.push_str(year);
    }
    let english = title_en.map(|en| format!(" [{en}]")).unwrap_or_default();
    let mut chicago = String::new();
    if !name.is_empty() {
        chicago.push_str(&format!("{}. ", name.trim_end_matches('.')));
    }
    chicago.push_str(&format!("“{}”{english}.", meta.title));
    if !where_published.is_empty() {
        chicago.push_str(&format!(" {where_published}"));
        match pages {
            Some(pages) => chicago.push_str(&format!(": {pages}.")),
            None => chicago.push('.'),
        }
    }
    if let Some(link) = &link {
        chicago.push_str(&format!(" {link}."));
    }
    let note_name = name_en.or(meta.author.as_deref()).unwrap_or("");
    let mut chicago_para = String::new();
    if !note_name.is_empty() {
        chicago_para.push_str(&format!("{note_name}, "));
    }
    chicago_para.push_str(&format!("“{},”{english}", meta.title));
    if !where_published.is_empty() {
        chicago_para.push_str(&format!(" {where_published}"));
    }
    chicago_para.push_str(", para. %P, %U.");

    let gbt_para = format!("{gbt} 第%P段. %U");
    Citation {
        gbt,
        apa,
        chicago,
        gbt_para,
        apa_para,
        chicago_para,
        link,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::article::Numbering;

    fn meta(extra: &str) -> ArticleMeta {
        toml::from_str(&format!(
            "title = \"中美军事关系：从准同盟到竞争对手？\"\ntitle_en = \"China–US Military Relations\"\nauthor = \"姚云竹\"\nauthor_en = \"Yao Yunzhu\"\nsource = \"《美国研究》\"\nyear = 2019\n{extra}"
        ))
        .unwrap()
    }

    #[test]
    fn a_journal_article_in_each_style() {
        let c = citation(&meta(
            "volume = 33\nissue = \"2\"\npages = \"9–27\"\ndoi = \"10.1000/x1\"",
        ));
        assert_eq!(
            c.gbt,
            "姚云竹. 中美军事关系：从准同盟到竞争对手？[J]. 美国研究, 2019, 33(2): 9–27. DOI:10.1000/x1."
        );
        assert_eq!(
            c.apa,
            "Yao, Y. (2019). 中美军事关系：从准同盟到竞争对手？ [China–US Military Relations]. 美国研究, 33(2), 9–27. https://doi.org/10.1000/x1"
        );
        assert_eq!(
            c.chicago,
            "Yao Yunzhu 姚云竹. “中美军事关系：从准同盟到竞争对手？” [China–US Military Relations]. 美国研究 33, no. 2 (2019): 9–27. https://doi.org/10.1000/x1."
        );
        assert!(c.apa_para.starts_with("(Yao, 2019, para. %P)\n"));
        assert!(c.chicago_para.ends_with("美国研究 33, no. 2 (2019), para. %P, %U."));
        assert!(c.gbt_para.ends_with("第%P段. %U"));
        assert_eq!(c.link.as_deref(), Some("https://doi.org/10.1000/x1"));
    }

    #[test]
    fn missing_fields_are_left_out_not_invented() {
        let c = citation(&meta(""));
        assert_eq!(c.gbt, "姚云竹. 中美军事关系：从准同盟到竞争对手？[J]. 美国研究, 2019.");
        assert_eq!(
            c.apa,
            "Yao, Y. (2019). 中美军事关系：从准同盟到竞争对手？ [China–US Military Relations]. 美国研究."
        );
        assert_eq!(c.link, None);
        let online = citation(&meta("url = \"https://example.org/a\"\nissue = 2"));
        assert_eq!(
            online.gbt,
            "姚云竹. 中美军事关系：从准同盟到竞争对手？[J/OL]. 美国研究, 2019(2). https://example.org/a."
        );
        assert_eq!(online.link.as_deref(), Some("https://example.org/a"));
        assert_eq!(Numbering::Number(2).to_string(), "2");
    }
}
