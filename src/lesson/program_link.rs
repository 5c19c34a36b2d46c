//! A Go program inside a link: deflated and written in URL-safe base64, so a playground link holds
//! the program itself (a typical snippet becomes a few hundred characters). Decoding is strict
//! about size (a link can never make the page inflate gigabytes) and says what was wrong.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;

/// Links carrying more than this are refused before decoding.
pub const MAX_ENCODED: usize = 100 * 1024;
/// A program may be at most this large once inflated (the Go front end's own limit).
pub const MAX_SOURCE: usize = crate::golang::MAX_SOURCE_BYTES;

/// `source` as a link parameter value.
pub fn encode(source: &str) -> String {
    let packed = miniz_oxide::deflate::compress_to_vec(source.as_bytes(), 9);
    URL_SAFE_NO_PAD.encode(packed)
}

/// The program a link parameter holds, or why it holds none.
pub fn decode(param: &str) -> Result<String, String> {
    if param.len() > MAX_ENCODED {
        return Err(format!(
            "the program in the link is {} KB encoded; links may carry at most {} KB",
            param.len() / 1024,
            MAX_ENCODED / 1024
        ));
    }
    let packed = URL_SAFE_NO_PAD
        .decode(param.trim_end_matches('='))
        .map_err(|_| "the program in the link is not valid base64".to_string())?;
    let raw = miniz_oxide::inflate::decompress_to_vec_with_limit(&packed, MAX_SOURCE).map_err(
        |e| match e.status {
            miniz_oxide::inflate::TINFLStatus::HasMoreOutput => format!(
                "the program in the link is larger than {} KB",
                MAX_SOURCE / 1024
            ),
            _ => "the program in the link is damaged (it does not inflate)".to_string(),
        },
    )?;
    String::from_utf8(raw).map_err(|_| "the program in the link is not UTF-8 text".to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_program_survives_the_round_trip_and_shrinks() {
        let src = std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/go/programs/pattern_worker_pool.go"
        ))
        .expect("readable");
        let enc = encode(&src);
        assert!(enc.len() < src.len(), "{} vs {}", enc.len(), src.len());
        assert!(enc
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'));
        assert_eq!(decode(&enc).as_deref(), Ok(src.as_str()));
    }

    #[test]
    fn damaged_and_oversized_links_are_refused_with_a_reason() {
        assert!(decode("%%%").unwrap_err().contains("base64"));
        assert!(decode("AAAA").unwrap_err().contains("damaged"));
        let bomb = encode(&"a".repeat(MAX_SOURCE + 1));
        assert!(decode(&bomb).unwrap_err().contains("larger than"));
        assert!(decode(&"A".repeat(MAX_ENCODED + 1))
            .unwrap_err()
            .contains("at most"));
    }
}
