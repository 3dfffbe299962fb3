//! The video addresses the listing takes: a YouTube or Vimeo page, with
//! the video's ID. The run asks this to decide whether a video's URL is
//! requested, and the media check to report what is wrong, so both read one
//! answer.

use url::Url;

use crate::text::excerpt;

/// A video address the listing takes: on YouTube or Vimeo, with its ID.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VideoLink {
    pub host: VideoHost,
    pub id: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VideoHost {
    YouTube,
    Vimeo,
}

/// Reads a video's URL as one of the addresses the listing takes; `Err`
/// completes "the URL … " with why it is not one.
pub fn video(text: &str) -> Result<VideoLink, String> {
    let url = Url::parse(text.trim()).map_err(|error| format!("is not a valid URL: {error}"))?;
    if url.scheme() != "https" {
        return Err(format!(
            "uses `{}:`; video addresses start with https://",
            url.scheme()
        ));
    }
    if !url.username().is_empty() || url.password().is_some() || url.port().is_some() {
        return Err("carries a user name, a password or a port; a video page has none".to_owned());
    }
    if url.fragment().is_some() {
        return Err("has a `#` part; give the video's address without it".to_owned());
    }
    let host = url.host_str().unwrap_or_default();
    let path = url.path();
    let youtube_id = |id: &str| {
        let valid = id.len() == 11
            && id
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
        if valid {
            Ok(VideoLink {
                host: VideoHost::YouTube,
                id: id.to_owned(),
            })
        } else {
            Err(format!(
                "has the video ID `{}`; a YouTube ID is 11 letters, digits, `-` or `_`",
                excerpt(id)
            ))
        }
    };
    match host {
        "www.youtube.com" | "youtube.com" if path == "/watch" => {
            let ids: Vec<String> = url
                .query_pairs()
                .filter(|(key, _)| key == "v")
                .map(|(_, value)| value.into_owned())
                .collect();
            match ids.as_slice() {
                [id] => youtube_id(id),
                [] => Err("names no video: a YouTube address has `?v=ID`".to_owned()),
                _ => Err("names more than one video (`v=` twice)".to_owned()),
            }
        }
        "www.youtube.com" => match path.strip_prefix("/embed/") {
            Some(id) => youtube_id(id),
            None => Err(
                "is not a YouTube video page: write https://www.youtube.com/watch?v=ID".to_owned(),
            ),
        },
        "youtube.com" => {
            Err("is not a YouTube video page: write https://www.youtube.com/watch?v=ID".to_owned())
        }
        "youtu.be" => youtube_id(path.trim_start_matches('/')),
        "vimeo.com" => {
            let id = path.trim_start_matches('/');
            if !id.is_empty() && id.len() <= 20 && id.chars().all(|c| c.is_ascii_digit()) {
                Ok(VideoLink {
                    host: VideoHost::Vimeo,
                    id: id.to_owned(),
                })
            } else {
                Err("is not a Vimeo video: write https://vimeo.com/ID, the ID in digits".to_owned())
            }
        }
        _ => Err(format!("is on {}, not YouTube or Vimeo", excerpt(host))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn youtube_and_vimeo_addresses_are_videos() {
        for (url, id) in [
            ("https://www.youtube.com/watch?v=dQw4w9WgXcQ", "dQw4w9WgXcQ"),
            (
                "https://youtube.com/watch?v=dQw4w9WgXcQ&t=42",
                "dQw4w9WgXcQ",
            ),
            (
                "https://www.youtube.com/watch?feature=share&v=a-b_c1234XY",
                "a-b_c1234XY",
            ),
            ("https://youtu.be/dQw4w9WgXcQ", "dQw4w9WgXcQ"),
            ("https://youtu.be/dQw4w9WgXcQ?si=abc", "dQw4w9WgXcQ"),
            ("https://www.youtube.com/embed/dQw4w9WgXcQ", "dQw4w9WgXcQ"),
            ("https://vimeo.com/76979871", "76979871"),
            (
                "  https://WWW.YouTube.com/watch?v=dQw4w9WgXcQ  ",
                "dQw4w9WgXcQ",
            ),
        ] {
            assert_eq!(video(url).map(|link| link.id).as_deref(), Ok(id), "{url}");
        }
    }

    #[test]
    fn other_addresses_are_not() {
        for url in [
            "http://www.youtube.com/watch?v=dQw4w9WgXcQ",
            "https://www.youtube.com/watch?v=short",
            "https://www.youtube.com/watch",
            "https://www.youtube.com/watch?v=dQw4w9WgXcQ&v=dQw4w9WgXcQ",
            "https://www.youtube.com/shorts/dQw4w9WgXcQ",
            "https://youtube.com/embed/dQw4w9WgXcQ",
            "https://m.youtube.com/watch?v=dQw4w9WgXcQ",
            "https://vimeo.com/channels/staffpicks/76979871",
            "https://vimeo.com/abc",
            "https://contoso.com/tour.mp4",
            "https://www.youtube.com:8443/watch?v=dQw4w9WgXcQ",
            "https://youtu.be/dQw4w9WgXcQ#t=30",
            "youtube.com/watch?v=dQw4w9WgXcQ",
        ] {
            assert!(video(url).is_err(), "{url}");
        }
    }
}
