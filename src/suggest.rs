//! "Did you mean": the nearest known name to one that was mistyped.

/// The candidate closest to `typed`, if any is close enough to be a likely typo.
pub fn nearest<'a>(typed: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    const LIKELY_TYPO: f64 = 0.8;
    let typed = typed.to_lowercase();
    candidates
        .into_iter()
        .map(|candidate| {
            (
                strsim::jaro_winkler(&typed, &candidate.to_lowercase()),
                candidate,
            )
        })
        .filter(|(score, _)| *score >= LIKELY_TYPO)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, candidate)| candidate)
}

#[cfg(test)]
mod tests {
    use super::nearest;

    #[test]
    fn finds_a_missing_letter() {
        assert_eq!(nearest("nme", ["id", "name", "summary"]), Some("name"));
    }

    #[test]
    fn finds_a_shortened_key() {
        assert_eq!(
            nearest("privacy_url", ["terms_of_use_url", "privacy_policy_url"]),
            Some("privacy_policy_url")
        );
    }

    #[test]
    fn ignores_case() {
        assert_eq!(
            nearest("FREE-TRIAL", ["free-trial", "contact-me"]),
            Some("free-trial")
        );
    }

    #[test]
    fn says_nothing_when_nothing_is_close() {
        assert_eq!(nearest("zzz", ["name", "summary"]), None);
    }
}
