//! Where the site's source lives: `[repository]` of site.toml, completed by
//! `build --repository` (which the Pages workflow fills from
//! `GITHUB_REPOSITORY`). Owns every address into the repository the pages
//! link to: a file at a line (`…/blob/BRANCH/path#Lnn`), the new-file page
//! (`…/new/BRANCH`) and the new-issue page (`…/issues/new`).

use std::path::Path;

use serde::Serialize;

use crate::content::site::{RepositoryConfig, is_repository_url, is_url_safe};

/// A repository the pages may link into; built only when a URL is known.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Repository {
    /// `https://github.com/owner/name`, without a trailing slash or `.git`.
    pub url: String,
    pub branch: String,
    /// The folder of the repository that holds site.toml, with a trailing
    /// slash, or empty for a site at the repository's root.
    pub content_path: String,
}

/// What the command line adds: `--repository` and `--repository-branch`.
#[derive(Debug, Clone, Default)]
pub struct RepositoryFlags {
    pub repository: Option<String>,
    pub branch: Option<String>,
}

/// The addresses templates use (`repository` in docs/templates.md).
#[derive(Debug, Serialize)]
pub struct RepositoryContext<'a> {
    pub url: &'a str,
    pub branch: &'a str,
    pub content_path: &'a str,
    /// GitHub's new-file page for the branch; takes `filename` and `value`.
    pub new_file: String,
    /// GitHub's new-issue page; takes `title`, `body` and `labels`.
    pub new_issue: String,
}

impl Repository {
    /// The repository from site.toml's section and the command line: what
    /// site.toml says wins, the flags fill what it leaves out. `Ok(None)`
    /// when neither names a URL; `Err` says what is wrong with a flag.
    pub fn from_parts(
        config: Option<&RepositoryConfig>,
        flags: &RepositoryFlags,
    ) -> Result<Option<Repository>, String> {
        let from_config = config.and_then(|c| c.url.as_ref()).map(|u| u.get_ref().clone());
        let url = match (from_config, &flags.repository) {
            (Some(url), _) => url,
            (None, Some(flag)) => expand_flag(flag).ok_or_else(|| {
                format!("--repository `{flag}` is neither OWNER/NAME nor an https:// address of a repository")
            })?,
            (None, None) => return Ok(None),
        };
        let branch = config
            .and_then(|c| c.branch.clone())
            .or_else(|| flags.branch.clone())
            .filter(|b| !b.trim().is_empty())
            .unwrap_or_else(|| "main".to_owned());
        let content_path = config.and_then(|c| c.content_path.clone()).unwrap_or_default();
        let content_path = content_path.trim_matches('/').to_owned();
        Ok(Some(Repository {
            url: normalize_url(&url),
            branch,
            content_path: if content_path.is_empty() {
                content_path
            } else {
                format!("{content_path}/")
            },
        }))
    }

    /// The path in the repository of `file`, relative to the site root.
    pub fn path_of(&self, file: &Path) -> String {
        format!("{}{}", self.content_path, file.to_string_lossy().replace('\\', "/"))
    }

    /// The file at a line, as GitHub shows it.
    pub fn blob(&self, file: &Path, line: Option<usize>) -> String {
        let mut url = format!(
            "{}/blob/{}/{}",
            self.url,
            encode_path(&self.branch),
            encode_path(&self.path_of(file))
        );
        if let Some(line) = line {
            url.push_str(&format!("#L{line}"));
        }
        url
    }

    /// GitHub's editor for `file`.
    pub fn edit(&self, file: &Path) -> String {
        format!(
            "{}/edit/{}/{}",
            self.url,
            encode_path(&self.branch),
            encode_path(&self.path_of(file))
        )
    }

    pub fn context(&self) -> RepositoryContext<'_> {
        RepositoryContext {
            url: &self.url,
            branch: &self.branch,
            content_path: &self.content_path,
            new_file: format!("{}/new/{}", self.url, encode_path(&self.branch)),
            new_issue: format!("{}/issues/new", self.url),
        }
    }
}

/// `owner/name` (as `GITHUB_REPOSITORY` holds it) or a full address.
pub fn expand_flag(flag: &str) -> Option<String> {
    let flag = flag.trim();
    if is_repository_url(flag) {
        return Some(flag.to_owned());
    }
    let parts: Vec<&str> = flag.split('/').collect();
    let plain = parts.len() == 2 && parts.iter().all(|p| !p.is_empty() && p.chars().all(is_url_safe));
    plain.then(|| format!("https://github.com/{flag}"))
}

fn normalize_url(url: &str) -> String {
    let url = url.trim().trim_end_matches('/');
    url.strip_suffix(".git").unwrap_or(url).to_owned()
}

/// Percent-encodes what may not stand in a URL path (spaces, non-ASCII,
/// `#`, `?`), keeping `/`.
fn encode_path(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for byte in path.bytes() {
        if byte.is_ascii_alphanumeric() || b"-_.~/".contains(&byte) {
            out.push(byte as char);
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn flags(repository: &str, branch: Option<&str>) -> RepositoryFlags {
        RepositoryFlags {
            repository: Some(repository.to_owned()),
            branch: branch.map(str::to_owned),
        }
    }

    #[test]
    fn the_workflow_flag_is_owner_slash_name() {
        let repo = Repository::from_parts(None, &flags("owner/reader", Some("trunk")))
            .unwrap()
            .unwrap();
        assert_eq!(repo.url, "https://github.com/owner/reader");
        assert_eq!(repo.branch, "trunk");
        assert_eq!(
            repo.blob(Path::new("content/glossary.toml"), Some(120)),
            "https://github.com/owner/reader/blob/trunk/content/glossary.toml#L120"
        );
        assert_eq!(repo.context().new_file, "https://github.com/owner/reader/new/trunk");
        assert_eq!(repo.context().new_issue, "https://github.com/owner/reader/issues/new");
    }

    #[test]
    fn a_bad_flag_is_refused_and_no_flag_means_no_repository() {
        assert!(Repository::from_parts(None, &flags("not a repo", None)).is_err());
        assert!(Repository::from_parts(None, &flags("javascript:alert(1)", None)).is_err());
        assert_eq!(Repository::from_parts(None, &RepositoryFlags::default()), Ok(None));
    }

    #[test]
    fn site_toml_wins_over_the_flags_and_paths_are_encoded() {
        let config: RepositoryConfig = toml::from_str(
            "url = \"https://github.com/me/site.git\"\nbranch = \"gh pages\"\ncontent_path = \"/sites/读本/\"",
        )
        .unwrap();
        let repo = Repository::from_parts(Some(&config), &flags("other/repo", Some("dev")))
            .unwrap()
            .unwrap();
        assert_eq!(repo.url, "https://github.com/me/site");
        assert_eq!(
            repo.edit(Path::new("content/a b/text.md")),
            "https://github.com/me/site/edit/gh%20pages/sites/%E8%AF%BB%E6%9C%AC/content/a%20b/text.md"
        );
    }
}
