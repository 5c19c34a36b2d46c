//! Arbitrary bytes as a lesson file: front matter, Markdown, parameter resolution. Nothing may panic.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    gmplab::lesson::fuzz_lesson(data);
});
